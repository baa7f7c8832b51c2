"""An advisor marks yesterday's meeting from the past view, the day after: the
entrepreneur is invited to the satisfaction survey."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from permanences.models import Booking, Slot
from tests.factories import PASSWORD, AdvisorFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def after_booking_survey(reference_data):
    from surveys.defaults import standard_survey_create
    from surveys.models import Survey

    return standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)


def _days_ago(booking: Booking, days: int) -> Booking:
    """The booking's slot as if it had been `days` days ago (none can be booked there)."""
    from django.utils import timezone

    ahead = (timezone.localdate(booking.starts_at) - timezone.localdate()).days
    shift = datetime.timedelta(days=ahead + days)
    slot = booking.slot
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=slot.starts_at - shift, ends_at=slot.ends_at - shift
    )
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - shift, ends_at=booking.ends_at - shift
    )
    return Booking.objects.get(pk=booking.pk)


def test_an_advisor_marks_yesterdays_meeting_attended_and_the_survey_goes_out(
    page, live_server, make_slot, book, after_booking_survey, screenshot
):
    page.set_viewport_size({"width": 1366, "height": 900})
    advisor = AdvisorFactory(user__first_name="Eva", user__last_name="Peeters", user__language="nl")
    person = UserFactory(first_name="Lotte", last_name="Maes", language="nl")
    company = CompanyFactory(name="Maes Export")
    company.people.add(person)
    earlier = _days_ago(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor], languages=["nl", "fr"]),
            person,
            topic="Eerste kennismaking",
            language="nl",
        ),
        9,
    )
    Booking.objects.filter(pk=earlier.pk).update(
        status=Booking.Status.ATTENDED, outcome="Exportplan opstellen"
    )
    yesterday = _days_ago(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor], languages=["nl", "fr"]),
            person,
            topic="Export naar Duitsland: welke steun?",
            language="nl",
        ),
        1,
    )
    Booking.objects.filter(pk=yesterday.pk).update(company=company)
    other = _days_ago(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor], languages=["nl", "fr"]),
            UserFactory(first_name="Sofia", last_name="Lambert"),
            topic="Prêt d'honneur pour démarrer",
        ),
        3,
    )

    page.goto(f"{live_server.url}/nl/accounts/login/")
    page.get_by_label(re.compile("E-mail")).fill(advisor.user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.goto(f"{live_server.url}/nl/advisor/permanences/")
    expect(page.get_by_role("status")).to_contain_text(
        "Bij 2 afspraken moet u de aanwezigheid nog aanduiden."
    )
    page.get_by_role("link", name=re.compile("Afgelopen 30 dagen")).click()
    expect(page.locator(".to-mark")).to_have_count(2)
    row = page.locator(f"#booking-{yesterday.pk}")
    expect(row).to_contain_text("Aan te duiden")
    expect(page.locator(f"#booking-{earlier.pk}")).to_contain_text("Aanwezig")
    screenshot("advisor-past-nl")

    row.get_by_role("link", name="Lotte Maes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lotte Maes")
    expect(page.get_by_text("Maes Export")).to_be_visible()
    expect(page.get_by_text("Eerste kennismaking")).to_be_visible()
    screenshot("advisor-booking-nl")

    page.get_by_label("Aanwezigheid", exact=True).select_option("yes")
    page.get_by_label("Resultaat", exact=True).fill("Dossier Brussels Invest & Export")
    page.get_by_role("button", name="Aanduiden").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Aanwezigheid opgeslagen voor Lotte Maes."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aanwezig")
    yesterday.refresh_from_db()
    assert (yesterday.status, yesterday.outcome) == ("attended", "Dossier Brussels Invest & Export")
    invitation = Notification.objects.get(kind="survey_invitation")
    assert invitation.recipient == person

    page.goto(f"{live_server.url}/fr/advisor/permanences/?past=1")
    expect(page.locator(".to-mark")).to_have_count(1)
    expect(page.locator(f"#booking-{other.pk}")).to_contain_text("À indiquer")
    screenshot("advisor-past-fr")
    page.goto(f"{live_server.url}/fr/advisor/bookings/{yesterday.pk}/")
    expect(page.get_by_text("Réservations précédentes chez")).to_be_visible()
    screenshot("advisor-booking-fr")
