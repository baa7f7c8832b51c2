"""The accessibility statement and the footer that links to it, in French and Dutch, for a
person to look at (var/screenshots/)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS

STATEMENT = {"fr": "Déclaration d'accessibilité", "nl": "Toegankelijkheidsverklaring"}
LINK = {"fr": "Accessibilité", "nl": "Toegankelijkheid"}


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_footer_leads_to_the_statement(page, live_server, db, screenshot, lang):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/{lang}/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    footer = page.get_by_role("contentinfo")
    footer.scroll_into_view_if_needed()
    footer.screenshot(path=str(SCREENSHOTS / f"footer-{lang}.png"))

    footer.get_by_role("link", name=LINK[lang]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(STATEMENT[lang])
    expect(page).to_have_title(f"{STATEMENT[lang]} · hub.eu")
    screenshot(f"accessibility-statement-{lang}")
