import re

from playwright.sync_api import expect

from permanences.models import Slot


def test_the_coordinator_sees_the_week_and_cancels_a_day(page, live_server, demo_data, screenshot):
    page.goto(f"{live_server.url}/en/admin/")
    # The admin sends people to the site's rate-limited login form.
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
    page.get_by_label("Email").fill("coordinator@demo.hub.brussels")
    page.get_by_label("Password").fill("hub-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/en/admin/$"))

    page.get_by_role("link", name="Permanence schedules").click()
    page.get_by_role("link", name=re.compile("Week at a glance")).click()
    page.get_by_role("link", name=re.compile("Next week")).click()
    grid = page.locator("table.week-grid")
    expect(grid).to_be_visible()
    assert grid.locator("tbody tr").count() >= 3
    expect(grid).to_contain_text(re.compile("Impulse|Innoviris|BIE|Atrium"))
    screenshot("admin-week-en")

    row = (
        grid.locator("tbody tr")
        .filter(has=page.get_by_role("link", name=re.compile("Cancel this day")))
        .first
    )
    place = row.locator("th").inner_text().strip()
    row.get_by_role("link", name=re.compile("Cancel this day")).first.click()
    page.get_by_label(re.compile("Reason")).fill("Building closed for works")
    screenshot("admin-cancel-day-en")
    page.get_by_role("button", name=re.compile("Cancel")).click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("cancel", re.I))
    assert Slot.objects.filter(
        incubator__name=place, status="cancelled", cancel_reason="Building closed for works"
    ).exists()
