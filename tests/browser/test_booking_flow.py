import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from permanences.models import Booking, Slot

PASSWORD = "hub-demo-2026"


def _log_in(page, live_server, email, language="en"):
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.get_by_label(re.compile("Email|E-mail|Courriel")).fill(email)
    page.get_by_label(re.compile("Password|Wachtwoord|Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In|Aanmelden|Connexion")).click()


def test_an_entrepreneur_filters_books_and_cancels(page, live_server, demo_data, screenshot):
    _log_in(page, live_server, "entrepreneur@demo.hub.brussels")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Book a permanence"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a permanence")
    page.get_by_label("Agency").select_option("atrium")
    expect(page).to_have_url(re.compile(r"agency=atrium"))
    expect(page.locator(".slot-row").first).to_contain_text("Atrium")
    expect(page.locator(".slot-row").filter(has_text="Innoviris")).to_have_count(0)
    # A few days ahead: tomorrow morning's slot, booked in the evening, is already past
    # its cancelling notice, and the journey ends with cancelling online.
    ahead = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("From").fill(ahead.isoformat())
    expect(page).to_have_url(re.compile(rf"date_from={ahead.isoformat()}"))
    screenshot("slots-filtered-en")

    page.locator(".slot-row").first.get_by_role("link", name=re.compile("^Book")).click()
    page.get_by_label("What is it about?").select_option(label="Commercial premises and retail")
    page.get_by_label("What would you like to discuss?").fill(
        "We look for a 60 m² shop near the Parvis de Saint-Gilles."
    )
    page.get_by_label(re.compile("I agree that the agency")).check()
    screenshot("booking-form-en")
    page.get_by_role("button", name="Confirm the booking").click()

    expect(page.get_by_role("alert").filter(has_text="Your booking is confirmed.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Add to my calendar"))).to_be_visible()
    screenshot("booking-confirmed-en")
    booking = Booking.objects.get(
        user__email="entrepreneur@demo.hub.brussels", slot__agency__slug="atrium"
    )
    assert booking.status == "confirmed"

    page.get_by_role("link", name="Cancel the booking…").click()
    page.get_by_label("A word for the advisor (optional)").fill("Found a shop already")
    page.get_by_role("button", name="Yes, cancel the booking").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your booking is cancelled")
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Found a shop already")
    screenshot("my-bookings-en")


def test_an_advisor_marks_a_booking_attended(page, live_server, demo_data, screenshot):
    booking = Booking.objects.get(user__email="entrepreneur@demo.hub.brussels")
    started = timezone.now() - datetime.timedelta(minutes=10)
    ended = started + datetime.timedelta(minutes=30)
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=started, ends_at=ended)
    Booking.objects.filter(pk=booking.pk).update(starts_at=started, ends_at=ended)

    _log_in(page, live_server, "advisor.impulse@demo.hub.brussels")
    page.get_by_role("button", name="Marc").click()
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="My permanences"
    ).click()
    row = page.locator(f"#booking-{booking.pk}")
    expect(row).to_contain_text("Sofia Martins")
    expect(row).to_contain_text("levée de fonds")
    screenshot("advisor-permanences-en")
    row.get_by_label("Attendance").select_option("yes")
    row.get_by_label("Outcome").fill("Sent to the regional loan scheme; follow-up in March.")
    row.get_by_role("button", name="Mark").click()
    expect(page.get_by_role("alert").first).to_contain_text("Attendance saved")
    booking.refresh_from_db()
    assert booking.status == "attended"
    assert booking.outcome.startswith("Sent to the regional loan scheme")
