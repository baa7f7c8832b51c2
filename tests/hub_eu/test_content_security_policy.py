"""The Content-Security-Policy header, and templates that keep to it (tests/browser/ checks
what the browser itself reports)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Emails are read in mail clients, not under the site's policy.
EXEMPT = {"emails"}
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "on* handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    # Data blocks (json_script, type="application/json") run nothing: allowed.
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*application/json)[^>]*>", re.I),
}


def test_every_page_is_sent_with_the_strict_policy(client, reference_data):
    for path in ["/en/", "/fr/accounts/login/", "/en/admin/login/"]:
        policy = client.get(path, follow=True)["Content-Security-Policy"]
        directives = {d.strip() for d in policy.split(";")}
        assert {
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
        } <= directives, path
        assert "unsafe" not in policy


@pytest.mark.parametrize(
    "template",
    [
        path.relative_to(TEMPLATES).as_posix()
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path.relative_to(TEMPLATES).parts[0] not in EXEMPT
    ],
)
def test_no_template_holds_what_the_policy_refuses(template):
    text = (TEMPLATES / template).read_text()
    text = re.sub(r"{#.*?#}", "", text, flags=re.S)  # comments may name what they avoid
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template}: {', '.join(found)} (move it to static/)"
