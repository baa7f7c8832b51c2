"""The innovation journeys on a phone, for a visitor who is not signed in: the list, each
theme's page (axe WCAG 2.1 AA, in French and Dutch), and the way on to a specialist."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(routing_rules, demo_data):
    from demo.edih import load_edih
    from demo.journeys import load_journeys

    load_edih()
    load_journeys()


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_journey_page_passes_axe_on_a_phone(browser, live_server, demo, lang):
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(f"{live_server.url}/{lang}/journeys/")
    titles = set()
    links = page.locator("main h2 a")
    expect(links).to_have_count(3)
    for href in [links.nth(i).get_attribute("href") for i in range(3)]:
        page.goto(live_server.url + href)
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.evaluate(RUN_AXE, WCAG_AA) == [], page.url
        titles.add(page.title())
        slug = href.rstrip("/").rsplit("/", 1)[-1]
        page.screenshot(path=f"/tmp/work/shots/journeys-{slug}-{lang}.png", full_page=True)
    assert len(titles) == 3  # each theme's page has its own title
    context.close()


def test_a_visitor_goes_from_a_journey_to_a_specialist_with_the_keyboard(
    browser, live_server, demo
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/journeys/circular-economy/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Économie circulaire"))
    expect(page.get_by_text("Tester une technologie avant d'investir")).to_have_count(0)
    link = page.get_by_role("link", name="Demander à un spécialiste")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/fr/accounts/login/"))
    assert "next=" in page.url and "category" in page.url.replace("%3D", "=")
    context.close()
