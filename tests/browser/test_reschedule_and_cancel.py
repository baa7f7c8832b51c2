"""A Dutch entrepreneur on a phone moves a one-to-one and is told what changed, then
cancels it, being asked first."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from permanences.models import Booking
from tests.factories import PASSWORD, AdvisorFactory, IncubatorFactory, UserFactory

pytestmark = pytest.mark.browser

ONE_TO_ONE_NL = {
    "start_time": datetime.time(10, 0),
    "end_time": datetime.time(11, 30),
    "slot_minutes": 45,
    "capacity": 1,
    "languages": ["nl"],
}


def test_a_reschedule_keeps_the_format_says_what_changed_and_cancel_asks_first(
    page, live_server, make_slot, book, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    advisor = AdvisorFactory(user__first_name="Eva", user__last_name="Peeters")
    person = UserFactory(language="nl")
    booking = book(
        make_slot(days=3, agency=advisor.agency, advisors=[advisor], **ONE_TO_ONE_NL),
        person,
        language="nl",
    )
    same = make_slot(
        days=5, agency=advisor.agency, incubator=IncubatorFactory(name="Greenbizz"), **ONE_TO_ONE_NL
    )
    make_slot(  # a two-hour group session in French and English: not offered by default
        days=4,
        agency=advisor.agency,
        incubator=IncubatorFactory(name="BeCentral"),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        slot_minutes=120,
        capacity=8,
        languages=["fr", "en"],
    )

    page.goto(f"{live_server.url}/nl/accounts/login/")
    page.get_by_label(re.compile("E-mail")).fill(person.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.goto(f"{live_server.url}/nl/me/bookings/{booking.pk}/")
    page.get_by_role("link", name="Een ander moment kiezen").click()

    options = page.locator(".reschedule-option")
    expect(options.filter(has_text="Greenbizz")).to_have_count(2)  # 10:00 and 10:45
    for option in options.all():  # every one is a 45-minute one-to-one in Dutch
        expect(option).to_contain_text("45 min · NL · individueel")
    expect(options.filter(has_text="BeCentral")).to_have_count(0)
    screenshot("reschedule-same-kind-nl-phone")
    page.get_by_role("link", name="Alle vrije tijdstippen van dit agentschap tonen").click()
    expect(page.locator(".reschedule-option").filter(has_text="BeCentral")).to_have_count(1)
    page.get_by_role("link", name="Alleen tijdstippen van dezelfde soort als de mijne").click()

    page.locator(".reschedule-option").filter(has_text="Greenbizz").first.click()
    expect(page.get_by_role("alert")).to_have_count(1)  # one message
    expect(page.get_by_role("alert")).to_contain_text("Uw boeking is verplaatst")
    changes = page.get_by_role("region", name="Wat er verandert met het nieuwe tijdstip")
    expect(changes).to_contain_text("Greenbizz")
    screenshot("reschedule-what-changed-nl-phone")
    moved = Booking.objects.get(rescheduled_from=booking)
    assert moved.slot_id == same.pk

    page.get_by_role("link", name="De boeking annuleren…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze boeking annuleren?")
    moved.refresh_from_db()
    assert moved.status == "confirmed"  # the question cancels nothing
    page.get_by_label("Een woordje voor de adviseur (optioneel)").fill("Opgelost")
    screenshot("cancel-asks-first-nl-phone")
    page.get_by_role("button", name="Ja, de boeking annuleren").click()
    expect(page.get_by_role("alert").first).to_contain_text("Uw boeking is geannuleerd")
    moved.refresh_from_db()
    assert (moved.status, moved.cancel_reason) == ("cancelled", "Opgelost")
