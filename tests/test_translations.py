"""Every string of the interface is translated into French and Dutch, and compiled."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def _entries(po_text: str):
    """(flags, msgid, msgstrs) for each entry of a .po file, header excluded."""
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid") == "":
            continue
        msgid = _unescape(fields["msgid"])
        if "msgctxt" in fields:
            msgid = f"{_unescape(fields['msgctxt'])}\x04{msgid}"
        strs = [_unescape(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        yield flags, msgid, strs


def _unescape(text: str) -> str:
    return ast.literal_eval(f'"{text}"')


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_string_is_translated(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = list(_entries(po))
    assert len(entries) > 100
    missing = [msgid for _flags, msgid, strs in entries if not all(strs)]
    fuzzy = [msgid for flags, msgid, _strs in entries if "fuzzy" in flags]
    assert not missing, f"untranslated in {language}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_committed_compiled_catalogue_matches_the_translations(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)._catalog
    po = (folder / "django.po").read_text(encoding="utf-8")
    stale = []
    for _flags, msgid, strs in _entries(po):
        compiled = catalogue.get(msgid, catalogue.get((msgid, 0)))
        if compiled != strs[0]:
            stale.append(msgid)
    assert not stale, f"run compilemessages: {stale[:5]}"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_site_keeps_djangos_own_wording_where_an_installed_app_translates_otherwise(
    language,
):
    """An installed app's catalogue (Django REST framework's) overrides Django's own:
    hub_eu/locale_overrides restores Django's wording on the site's forms. A string an
    upgrade adds to that overlap is named here."""
    import django
    import rest_framework
    from django.utils import translation

    def catalog(package) -> dict:
        path = Path(package.__file__).parent
        if package is django:
            path = path / "conf"
        mo = path / "locale" / language / "LC_MESSAGES" / "django.mo"
        return gettext.GNUTranslations(mo.open("rb"))._catalog

    djangos, drfs = catalog(django), catalog(rest_framework)
    overlap = {
        key: text
        for key, text in djangos.items()
        if isinstance(key, str) and key and key in drfs and drfs[key] != text
    }
    assert overlap  # the check below checks something
    with translation.override(language):
        shown = {key: translation.gettext(key) for key in overlap}
    assert shown == overlap


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_admins_error_banner_stays_translated_with_several_errors(language):
    """The site's own form summary once reused the admin's msgid with another plural:
    the admin then fell back to English for two errors or more."""
    from django.template import Context, Template
    from django.utils import translation

    admin_banner = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}Please correct the error below."
        "{% plural %}Please correct the errors below.{% endblocktranslate %}"
    )
    with translation.override(language):
        shown = [admin_banner.render(Context({"n": n})) for n in (1, 2)]
    assert "Please correct" not in " ".join(shown)


def test_the_dutch_admin_says_error_in_dutch_not_in_the_default_french():
    from django.utils import translation

    djangos_msgid = "Error:"  # a variable, so that makemessages does not extract it here
    with translation.override("nl"):
        assert translation.gettext(djangos_msgid) == "Fout:"
