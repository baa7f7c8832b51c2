"""The coordinator's admin and overview at a laptop's width (1366 px), in French and Dutch;
and what someone without access to the admin meets there."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incubators.models import Advisor, Agency
from permanences.models import Slot

DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "hub-demo-2026"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The browser in Brussels too, as the coordinator's is (the admin's date widgets
    # otherwise note a time difference with the server).
    return {**browser_context_args, "timezone_id": "Europe/Brussels"}


def _log_in(page, live_server, email: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _boxes_overlap(first: dict, second: dict) -> bool:
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_coordinator_admin_and_overview_at_1366_px(
    page, live_server, demo_data, screenshot, lang
):
    _log_in(page, live_server, "coordinator@demo.hub.brussels")
    admin = f"{live_server.url}/{lang}/admin"

    # The schedule list: the buttons beside the title no longer cover it.
    page.goto(f"{admin}/permanences/permanenceschedule/")
    title = page.locator("#content h1").bounding_box()
    for tool in page.locator(".object-tools li").all():
        assert not _boxes_overlap(title, tool.bounding_box())
    # and every column fits beside the menu and the filters, without scrolling sideways.
    results = page.locator("#changelist .results")
    assert results.evaluate("r => r.scrollWidth <= r.clientWidth")
    screenshot(f"admin-schedule-list-{lang}")

    # A slot's heading in Brussels time.
    slot = Slot.objects.filter(status=Slot.Status.OPEN).order_by("starts_at").first()
    page.goto(f"{admin}/permanences/slot/{slot.pk}/change/")
    brussels = f"{timezone.localtime(slot.starts_at):%Y-%m-%d %H:%M}"
    expect(page.locator("#content h2")).to_contain_text(brussels)
    screenshot(f"admin-slot-{lang}")

    # Adding a schedule: once the agency is chosen, only its advisors are offered.
    agency = Agency.objects.filter(advisors__isnull=False).order_by("order").first()
    ours = Advisor.objects.filter(agency=agency)
    page.goto(f"{admin}/permanences/permanenceschedule/add/")
    advisors = page.locator("#id_advisors input[type=checkbox]")
    expect(advisors.first).to_be_hidden()  # no agency yet
    page.locator("#id_agency + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(agency.short_name)
    page.locator(".select2-results__option", has_text=agency.short_name).first.click()
    visible = page.locator("#id_advisors input[type=checkbox]:visible")
    expect(visible).to_have_count(ours.count())
    for advisor in ours:
        expect(page.locator(f'#id_advisors input[value="{advisor.pk}"]')).to_be_visible()
    visible.first.focus()
    page.keyboard.press("Space")  # a box is reached and ticked from the keyboard
    expect(visible.first).to_be_checked()
    page.locator("fieldset", has=page.locator("#id_advisors")).scroll_into_view_if_needed()
    screenshot(f"admin-schedule-advisors-{lang}")

    # The coordination overview: the members table scrolls inside a focusable region.
    page.goto(f"{live_server.url}/{lang}/coordination/overview/")
    region = page.locator("[role=region]", has=page.locator("#members-table"))
    expect(region).to_have_accessible_name(re.compile(".+"))
    region.focus()
    expect(region).to_be_focused()
    right = region.evaluate("r => r.scrollWidth - r.clientWidth")
    if right > 0:
        page.keyboard.press("ArrowRight")  # the keyboard scrolls it (smoothly: wait)
        page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    last_column = page.locator("#members-table thead tr").nth(1).locator("th").last
    last_column.scroll_into_view_if_needed()
    expect(last_column).to_be_in_viewport()
    page.locator("#members-title").scroll_into_view_if_needed()
    screenshot(f"overview-members-{lang}")


def test_someone_without_access_meets_a_translated_page_with_a_way_back(
    page, live_server, demo_data, screenshot
):
    _log_in(page, live_server, "founder.nl@demo.hub.brussels")

    response = page.goto(f"{live_server.url}/nl/admin/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("U kunt deze pagina niet openen")
    expect(page.get_by_role("link", name="Terug naar de startpagina")).to_be_visible()
    screenshot("forbidden-nl")
    page.goto(f"{live_server.url}/fr/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vous ne pouvez pas ouvrir cette page"
    )
    screenshot("forbidden-fr")
    page.get_by_role("link", name="Retour à l'accueil").click()
    expect(page).to_have_url(re.compile(r"/fr/$"))
