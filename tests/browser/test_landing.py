"""A founder abroad logs in from the landing page, fills the intake in English, gets a
plan, ticks a step off and books a two-agency itinerary in one step (online with BIE
while still abroad, on site with Innoviris after arriving); the coordinator sees the
start-up on the landing overview. Phone screenshots in French and Dutch."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incubators.models import Agency, Incubator, Language
from landing.models import LandingPlan
from landing.selectors import monday_of
from permanences.generation import slots_generate
from permanences.models import Booking, PermanenceSchedule
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/work/shots")
DEMO_PASSWORD = "hub-demo-2026"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"landing-{name}.png"), full_page=True)


def _online_bie_on_tuesdays() -> None:
    schedule = PermanenceSchedule.objects.create(
        agency=Agency.objects.get(slug="bie"),
        incubator=Incubator.objects.get(slug="silversquare-europe"),
        weekday=1,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        slot_minutes=30,
        valid_from=timezone.localdate(),
        mode="online",
        meeting_url="https://meet.example.org/bie-landing",
        audience="registered",
        booking_opens_days=42,
    )
    schedule.languages.set(Language.objects.filter(code__in=["en", "fr"]))
    slots_generate(schedule=schedule)


def _log_in(page, email, password):
    page.get_by_label(re.compile("Email|E-mail")).fill(email)
    page.get_by_label(re.compile("Password|Wachtwoord|Mot de passe")).fill(password)
    page.get_by_role("button", name=re.compile("Sign In|Aanmelden|Connexion")).click()


def test_a_founder_abroad_gets_a_plan_and_books_two_agencies_in_one_go(
    page, live_server, routing_rules, demo_data
):
    # routing_rules first: the demo adds the EDIH's rule, and the fixture only fills an
    # empty table (a transactional test before this one may have flushed it).
    _online_bie_on_tuesdays()
    founder = UserFactory(email="maple@example.org", first_name="Liam", language="en")
    week = monday_of(timezone.localdate() + datetime.timedelta(days=14))
    arrival = week + datetime.timedelta(days=2)  # Wednesday: BIE on Tuesday is online
    page.set_viewport_size({"width": 390, "height": 844})

    for language in ("fr", "nl"):
        page.goto(f"{live_server.url}/{language}/landing/")
        _shot(page, f"public-{language}")
    page.goto(f"{live_server.url}/en/landing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Landing in Brussels")
    expect(
        page.get_by_role("heading", name="Residence and work permits for founders and staff")
    ).to_be_visible()
    page.get_by_role("link", name="I have an account: log in").click()
    _log_in(page, founder.email, PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Start my landing plan")
    for language in ("fr", "nl"):
        page.goto(f"{live_server.url}/{language}/me/landing/start/")
        _shot(page, f"intake-{language}")
    page.goto(f"{live_server.url}/en/me/landing/start/")
    page.get_by_label("Start-up name").fill("Maple AI")
    page.get_by_label("Country you come from").select_option("CA")
    page.get_by_label("City").fill("Toronto")
    page.get_by_label("Sector").select_option("ict")
    page.get_by_label("Stage").select_option("pre_seed")
    page.get_by_label("Team size").fill("3")
    page.get_by_label("Planned arrival in Brussels").fill(arrival.isoformat())
    page.get_by_label("Residence and work permits for founders and staff").check()
    page.get_by_label("Research and innovation grants").check()
    page.get_by_label(re.compile("I agree that these needs")).check()
    page.get_by_role("button", name="Create my plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My landing plan")
    expect(page.get_by_text("0 of 2 steps done")).to_be_visible()
    plan = LandingPlan.objects.get(user=founder)
    assert {a.slug for s in plan.steps.all() for a in s.agencies.all()} == {"bie", "innoviris"}
    page.get_by_role(
        "button", name=re.compile(r"^Mark as done\W+Residence and work permits")
    ).click()
    expect(page.get_by_text("1 of 2 steps done")).to_be_visible()
    for language in ("fr", "nl"):
        page.goto(f"{live_server.url}/{language}/me/landing/")
        _shot(page, f"plan-{language}")
        # The step buttons stay on the phone's screen (they once pushed the page sideways).
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto(f"{live_server.url}/{language}/me/landing/itinerary/?week={week}")
        _shot(page, f"itinerary-{language}")

    page.goto(f"{live_server.url}/en/me/landing/")
    page.get_by_role("link", name="Book my meetings").click()
    expect(page.get_by_label("Week", exact=True)).to_have_value(week.isoformat())
    proposal = page.get_by_role("region", name="Our proposal for this week")
    expect(proposal.get_by_role("listitem")).to_have_count(2)
    expect(proposal).to_contain_text("online")  # BIE, before the arrival
    expect(proposal).to_contain_text("BeCentral")  # Innoviris, after it
    _shot(page, "itinerary-en")
    page.get_by_label(re.compile("I agree that each agency sees my name")).check()
    page.get_by_role("button", name="Book these meetings").click()

    expect(page.get_by_role("alert").filter(has_text="Your meetings are booked")).to_be_visible()
    bookings = Booking.objects.filter(user=founder, status="confirmed").select_related("slot")
    assert {b.slot.agency.slug for b in bookings} == {"bie", "innoviris"}
    bie = next(b for b in bookings if b.slot.agency.slug == "bie")
    assert bie.slot.schedule.mode == "online"
    assert timezone.localdate(bie.starts_at) < arrival
    expect(
        page.get_by_role("region", name="My meetings with the agencies").get_by_role("listitem")
    ).to_have_count(2)
    _shot(page, "plan-booked-en")

    page.context.clear_cookies()  # the founder's session ends
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/coordination/landing/")
    _log_in(page, "coordinator@demo.hub.brussels", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Landing start-ups")
    row = page.locator(f"#plan-{plan.pk}")
    expect(row).to_contain_text("Maple AI")
    expect(row).to_contain_text("1 / 2")
    expect(row).to_contain_text("booked")
    _shot(page, "overview-en")
