"""The accessibility statement the Web Accessibility Directive asks for: in French, Dutch and
English, with where to report a problem and where to turn next, linked from every page."""

import pytest

HEADINGS = {
    "fr": ("Déclaration d'accessibilité", "partiellement conforme", "Médiateur bruxellois"),
    "nl": ("Toegankelijkheidsverklaring", "gedeeltelijk conform", "Brusselse Ombudsman"),
    "en": ("Accessibility statement", "partially conformant", "Brusselse Ombudsman"),
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_it_states_conformance_contact_and_ombudsman_in_each_language(client, db, lang):
    response = client.get(f"/{lang}/accessibility/")

    html = response.content.decode()
    assert response.status_code == 200
    title, status, ombudsman = HEADINGS[lang]
    assert f"<title>{title} · hub.eu</title>" in html
    assert status in html and ombudsman in html
    assert 'href="mailto:accessibility@hub.brussels"' in html


def test_the_contact_address_comes_from_a_setting(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.brussels"

    html = client.get("/en/accessibility/").content.decode()

    assert 'href="mailto:access@example.brussels"' in html


@pytest.mark.parametrize("path", ["/fr/", "/nl/agencies/"])
def test_every_page_links_to_it_from_the_footer(client, db, path):
    html = client.get(path).content.decode()
    lang = path.split("/")[1]

    footer = html[html.index("<footer") :]
    assert f'href="/{lang}/accessibility/"' in footer
