"""The Content-Security-Policy: every page is served with it, and no page (the admin's
included) does anything it forbids, whoever is logged in. tests/browser/conftest.py
watches every page of every browser test; here the main pages of each role are opened
on purpose, with the admin's widgets used (dates, tabs, autocomplete, inlines)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from incubators.models import Advisor, Agency, Incubator
from needs.models import Need, RoutedNeed
from permanences.models import Booking, Slot
from surveys.models import Survey

PASSWORD = "hub-demo-2026"
EXPECTED_DIRECTIVES = [
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
]


@pytest.fixture
def lived_in_demo(transactional_db, routing_rules):
    """The demo with weeks of use behind it: charts, past meetings and needs in every
    status have something to show."""
    from demo.data import load_demo_data

    load_demo_data(lived_in=True)


@pytest.fixture
def visit(page, live_server, csp_watch):
    """Opens a path, checks the answer carries the policy, and lets any violation the
    page reports arrive before the next step."""

    def go(path: str, status: int = 200):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status, path
        policy = response.headers.get("content-security-policy", "")
        directives = {d.strip() for d in policy.split(";")}
        assert set(EXPECTED_DIRECTIVES) <= directives, (path, policy)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        settle(page)
        return response

    return go


def settle(page) -> None:
    # securitypolicyviolation events are queued tasks: give them a frame or two.
    page.evaluate("() => new Promise((done) => setTimeout(done, 50))")


def log_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_the_watch_reports_an_inline_script_and_an_inline_style(page, visit, csp_watch):
    visit("/en/")
    with page.expect_console_message(lambda m: "script-src" in m.text):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.inlineScriptRan = true";
              document.body.append(script);
            }"""
        )
    with page.expect_console_message(lambda m: "style-src" in m.text):
        page.evaluate(
            "() => document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">')"
        )

    assert page.evaluate("() => window.inlineScriptRan") is None  # blocked, not only reported
    assert any("script-src" in v for v in csp_watch.violations)
    assert any("style-src" in v for v in csp_watch.violations)
    csp_watch.violations.clear()  # what this test caused on purpose


def test_anonymous_pages_keep_to_the_policy(page, visit, lived_in_demo, csp_watch, screenshot):
    agency = Agency.objects.order_by("order").first()
    incubator = Incubator.objects.order_by("name").first()
    for path in [
        "/en/",
        "/fr/",
        en("incubators:agency_list"),
        en("incubators:agency_detail", agency.slug),
        en("incubators:incubator_list"),
        en("incubators:incubator_detail", incubator.slug),
        en("permanences:slot_list"),
        en("account_login"),
        en("account_signup"),
        en("account_reset_password"),
    ]:
        visit(path)
    visit("/en/no-such-page/", status=404)

    # htmx updates (a filter) bring no violation either.
    visit(en("incubators:incubator_list"))
    page.locator("input[name=q]").fill("a")
    page.wait_for_load_state("networkidle")
    visit("/en/")
    screenshot("csp-home-en")
    visit(en("incubators:agency_detail", agency.slug))
    screenshot("csp-agency-en")
    assert csp_watch.violations == []


def test_an_entrepreneurs_pages_keep_to_the_policy(
    page, live_server, visit, lived_in_demo, csp_watch
):
    email = "founder.en@demo.hub.brussels"
    log_in(page, live_server, email)
    booking = Booking.objects.filter(user__email=email).order_by("-pk").first()
    need = Need.objects.filter(user__email=email).order_by("-pk").first()
    slot = Slot.objects.filter(status=Slot.Status.OPEN, starts_at__gt=timezone.now()).first()
    assert booking and need and slot
    for path in [
        en("dashboard"),
        en("accounts:profile"),
        en("account_email"),
        en("account_change_password"),
        en("permanences:my_bookings"),
        en("permanences:booking_detail", booking.pk),
        en("permanences:booking_reschedule", booking.pk),
        en("permanences:booking_create", slot.pk),
        en("needs:need_list"),
        en("needs:need_create"),
        en("needs:need_detail", need.pk),
        en("incubators:onboarding"),
    ]:
        visit(path)
    # The slot list's filters (htmx) and the menu (Bootstrap).
    visit(en("permanences:slot_list"))
    page.locator("#slot-filters select").first.select_option(index=1)
    page.wait_for_load_state("networkidle")
    for toggle in page.locator(".navbar .dropdown-toggle").all():  # the hub's, the person's
        toggle.click()
        settle(page)
    assert csp_watch.violations == []


def test_an_advisors_pages_keep_to_the_policy(page, live_server, visit, lived_in_demo, csp_watch):
    # An advisor of an agency with a need in its inbox and a meeting booked.
    routed = RoutedNeed.objects.order_by("pk").first()
    advisor = Advisor.objects.filter(agency=routed.agency).order_by("pk").first()
    booking = Booking.objects.filter(slot__agency=routed.agency).order_by("pk").first()
    assert booking
    log_in(page, live_server, advisor.user.email)
    for path in [
        en("dashboard"),
        en("permanences:advisor_permanences"),
        en("permanences:advisor_booking", booking.pk),
        en("needs:inbox"),
        en("needs:inbox_detail", routed.pk),
    ]:
        visit(path)
    visit(en("surveys:agency_results"))
    assert csp_watch.violations == []


def test_the_coordinators_pages_and_admin_keep_to_the_policy(
    page, live_server, visit, lived_in_demo, csp_watch, screenshot
):
    log_in(page, live_server, "coordinator@demo.hub.brussels")
    visit(en("needs:overview"))
    visit(en("surveys:preview", Survey.objects.first().pk))
    visit(en("surveys:coordinator_results"))
    expect(page.locator("canvas#chart-satisfaction")).to_be_visible()  # Chart.js drew
    screenshot("csp-survey-results-en")

    # Every admin list the coordinator is offered, and the first object's form of each.
    visit(en("admin:index"))
    lists = page.locator("#content-main table th a").evaluate_all("(as) => as.map((a) => a.href)")
    assert len(lists) > 10
    for url in lists:
        visit(url.removeprefix(live_server.url))
        change = page.locator("#result_list tbody tr a[href*='/change/']").first
        if change.count():
            visit(change.get_attribute("href"))

    # The pages made for this project.
    visit(en("admin:permanences_week"))
    screenshot("csp-admin-week-en")
    incubator = Incubator.objects.order_by("name").first()
    day = timezone.localdate() + timezone.timedelta(days=7)
    visit(f"{en('admin:permanences_cancel_day')}?incubator={incubator.pk}&date={day:%Y-%m-%d}")
    visit(en("admin:incubators_membership_import"))
    visit(en("admin:needs_need_import"))

    # A slot's form: the date and time widgets.
    slot = Slot.objects.filter(status=Slot.Status.OPEN).order_by("starts_at").first()
    visit(en("admin:permanences_slot_change", slot.pk))
    page.locator(".datetimeshortcuts a").first.click()  # "Today"
    page.locator(".date-icon").first.click()  # the calendar
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.locator(".clock-icon").first.click()
    settle(page)
    screenshot("csp-admin-slot-en")

    # A schedule's form: the agency autocomplete, then only its advisors.
    visit(en("admin:permanences_permanenceschedule_add"))
    agency = Agency.objects.filter(advisors__isnull=False).order_by("order").first()
    page.locator("#id_agency + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(agency.short_name)
    page.locator(".select2-results__option", has_text=agency.short_name).first.click()
    expect(page.locator("#id_advisors input[type=checkbox]:visible").first).to_be_visible()

    # An agency's form: the language tabs and a new service inline.
    visit(en("admin:incubators_agency_change", agency.pk))
    page.locator(".ui-tabs-nav a").nth(1).click()
    add_row = page.locator(".add-row a").first
    if add_row.count():
        add_row.click()
    settle(page)
    screenshot("csp-admin-agency-en")

    # A need's form (its read-only inlines) and the "send to an agency" action's page.
    need = Need.objects.order_by("pk").first()
    visit(en("admin:needs_need_change", need.pk))
    visit(en("admin:needs_need_changelist"))
    page.locator(f"input[name=_selected_action][value='{need.pk}']").check()
    page.locator("select[name=action]").select_option("send_to_agency")
    page.locator("button[name=index]").click()
    expect(page.locator("#content h1")).to_be_visible()
    settle(page)
    assert csp_watch.violations == []
