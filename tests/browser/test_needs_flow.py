import re

import pytest
from playwright.sync_api import expect

from needs.models import RoutedNeed

PASSWORD = "hub-demo-2026"


@pytest.fixture
def demo(routing_rules, demo_data):
    return None


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def _log_out(page, name):
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="Log out").click()


def test_a_need_reaches_the_right_agency_and_its_answer_comes_back(
    page, live_server, demo, screenshot
):
    _log_in(page, live_server, "founder.nl@demo.hub.brussels")
    page.goto(f"{live_server.url}/en/me/needs/new/")
    page.get_by_label("What is it about?").select_option(label="Export and internationalisation")
    page.get_by_label("What do you need?").fill("We want to sell our repair kits in Germany.")
    page.get_by_label(re.compile("I agree that this need")).check()
    screenshot("need-form-en")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your need was sent to BIE.")
    routed = RoutedNeed.objects.get(need__description__startswith="We want to sell our repair kits")
    _log_out(page, "Pieter")

    # Another agency's advisor cannot open it.
    _log_in(page, live_server, "advisor.atrium@demo.hub.brussels")
    response = page.goto(f"{live_server.url}/en/agency/needs/{routed.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/en/")
    _log_out(page, "Nadia")

    _log_in(page, live_server, "advisor.bie@demo.hub.brussels")
    page.get_by_role("button", name="Hugo").click()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Needs inbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs inbox")
    screenshot("inbox-en")
    page.get_by_role("link", name="Pieter Janssens").first.click()
    expect(page.get_by_text("We want to sell our repair kits in Germany.")).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("alert").first).to_contain_text("Saved.")
    page.get_by_label("Message").fill(
        "Our export grant covers a first trade fair: let's meet on Wednesday."
    )
    page.get_by_role("button", name="Answer the entrepreneur").click()
    screenshot("inbox-detail-en")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("h1 .badge").first).to_have_text("Resolved")
    routed.refresh_from_db()
    assert routed.status == "resolved"
    _log_out(page, "Hugo")

    _log_in(page, live_server, "founder.nl@demo.hub.brussels")
    page.goto(f"{live_server.url}/en/me/needs/{routed.need.pk}/")
    expect(page.get_by_text("Our export grant covers a first trade fair")).to_be_visible()
    expect(page.get_by_text("Resolved").first).to_be_visible()
    screenshot("need-detail-en")
