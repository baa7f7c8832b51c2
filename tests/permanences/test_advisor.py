"""The advisor's side of a meeting: the past 30 days with what is still to mark, marking
up to 14 days after, and a page per booking."""

import datetime

import pytest
from django.utils import timezone

from permanences import services
from permanences.models import Booking, Slot
from tests.factories import AdvisorFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _move_back(booking: Booking, days: int) -> Booking:
    """The booking's slot as if it had been `days` days ago (bookings cannot be made in
    the past)."""
    ahead = (timezone.localdate(booking.starts_at) - timezone.localdate()).days
    shift = datetime.timedelta(days=ahead + days)
    slot = booking.slot
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=slot.starts_at - shift, ends_at=slot.ends_at - shift
    )
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - shift, ends_at=booking.ends_at - shift
    )
    return Booking.objects.select_related("slot").get(pk=booking.pk)


@pytest.fixture
def advisor():
    return AdvisorFactory(user__first_name="Eva", user__last_name="Peeters")


def _past_booking(make_slot, book, advisor, *, days_ago: int, **kwargs) -> Booking:
    slot = make_slot(days=1, agency=advisor.agency, advisors=[advisor])
    return _move_back(book(slot, kwargs.pop("user", None) or UserFactory(), **kwargs), days_ago)


def test_it_shows_the_past_30_days_with_the_meetings_still_to_mark(
    client, make_slot, book, advisor
):
    unmarked = _past_booking(make_slot, book, advisor, days_ago=1, topic="Subside régional")
    marked = _past_booking(make_slot, book, advisor, days_ago=3, topic="Prêt d'honneur")
    services.booking_mark_attendance(booking=marked, attended=True, outcome="", by=advisor.user)
    too_old = _past_booking(make_slot, book, advisor, days_ago=20, topic="Ancien rendez-vous")
    _past_booking(make_slot, book, advisor, days_ago=40, topic="Trop ancien")
    client.force_login(advisor.user)

    coming = client.get("/en/advisor/permanences/").content.decode()
    assert "Subside régional" not in coming  # the agenda starts today
    assert "1 meeting still to mark as attended or not." in coming
    assert 'id="unmarked-count">1<' in coming

    content = client.get("/en/advisor/permanences/?past=1").content.decode()
    for topic in ("Subside régional", "Prêt d&#x27;honneur", "Ancien rendez-vous"):
        assert topic in content
    assert "Trop ancien" not in content
    assert content.count("to-mark") == 1
    row = content.split(f'id="booking-{unmarked.pk}"')[1].split("booking-row")[0]
    assert "To mark" in row and f"/en/advisor/bookings/{unmarked.pk}/attendance/" in row
    old_row = content.split(f'id="booking-{too_old.pk}"')[1]
    assert "Attendance can no longer be marked: more than 14 days ago." in old_row[:2000]


def test_it_marks_yesterdays_meeting_and_goes_back_to_the_past_view(
    client, make_slot, book, advisor
):
    booking = _past_booking(make_slot, book, advisor, days_ago=1)
    client.force_login(advisor.user)
    response = client.post(
        f"/nl/advisor/bookings/{booking.pk}/attendance/",
        {
            "attended": "yes",
            "outcome": "Dossier ingediend",
            "next": "/nl/advisor/permanences/?past=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/nl/advisor/permanences/?past=1"
    booking.refresh_from_db()
    assert (booking.status, booking.outcome, booking.marked_by) == (
        "attended",
        "Dossier ingediend",
        advisor.user,
    )


def test_it_does_not_go_back_to_another_site_after_marking(client, make_slot, book, advisor):
    booking = _past_booking(make_slot, book, advisor, days_ago=1)
    client.force_login(advisor.user)
    response = client.post(
        f"/en/advisor/bookings/{booking.pk}/attendance/",
        {"attended": "no", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/advisor/permanences/"


def test_it_allows_marking_up_to_14_days_after_the_meeting_and_refuses_later(
    make_slot, book, advisor
):
    booking = _past_booking(make_slot, book, advisor, days_ago=1)
    just_in_time = booking.ends_at + datetime.timedelta(days=14)
    services.booking_mark_attendance(
        booking=booking, attended=False, outcome="", by=advisor.user, now=just_in_time
    )
    with pytest.raises(services.BookingRefused) as refused:
        services.booking_mark_attendance(
            booking=booking,
            attended=True,
            outcome="",
            by=advisor.user,
            now=just_in_time + datetime.timedelta(minutes=1),
        )
    assert refused.value.code == "marking_closed"
    assert str(refused.value) == (
        "Attendance can be marked up to 14 days after the meeting; this one is too long ago."
    )
    booking.refresh_from_db()
    assert booking.status == "no_show"


def test_a_late_mark_is_refused_with_a_translated_message(client, make_slot, book, advisor):
    booking = _past_booking(make_slot, book, advisor, days_ago=16)
    client.force_login(advisor.user)
    response = client.post(
        f"/fr/advisor/bookings/{booking.pk}/attendance/", {"attended": "yes"}, follow=True
    )
    assert "jours après le rendez-vous" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_booking_page_shows_who_what_and_their_earlier_bookings_with_the_agency(
    client, make_slot, book, advisor
):
    person = UserFactory(first_name="Lotte", last_name="Maes", email="lotte@example.be")
    company = CompanyFactory(name="Maes Export")
    company.people.add(person)
    earlier = _past_booking(
        make_slot, book, advisor, days_ago=10, user=person, topic="Eerste gesprek over export"
    )
    services.booking_mark_attendance(
        booking=earlier, attended=True, outcome="Exportplan opstellen", by=advisor.user
    )
    elsewhere = book(make_slot(days=2), person, topic="Bij een ander agentschap")
    booking = book(
        make_slot(days=1, agency=advisor.agency, advisors=[advisor]),
        person,
        topic="Export naar Duitsland",
    )
    Booking.objects.filter(pk=booking.pk).update(company=company)
    client.force_login(advisor.user)

    agenda = client.get("/en/advisor/permanences/").content.decode()
    assert f'href="/en/advisor/bookings/{booking.pk}/"' in agenda

    content = client.get(f"/en/advisor/bookings/{booking.pk}/").content.decode()
    for text in ("Lotte Maes", "lotte@example.be", "Maes Export", "Export naar Duitsland"):
        assert text in content
    assert "Eerste gesprek over export" in content and "Exportplan opstellen" in content
    assert "Bij een ander agentschap" not in content
    assert "Attendance can be marked once the meeting has started." in content
    assert f"/advisor/bookings/{elsewhere.pk}/" not in content


def test_the_booking_page_offers_the_marking_form_after_the_meeting(
    client, make_slot, book, advisor
):
    booking = _past_booking(make_slot, book, advisor, days_ago=2)
    client.force_login(advisor.user)
    content = client.get(f"/fr/advisor/bookings/{booking.pk}/").content.decode()
    assert f'action="/fr/advisor/bookings/{booking.pk}/attendance/"' in content
    assert f'name="next" value="/fr/advisor/bookings/{booking.pk}/"' in content


def test_another_agencys_booking_page_is_a_404(client, make_slot, book, advisor, entrepreneur):
    booking = book(make_slot(days=1), entrepreneur)
    client.force_login(advisor.user)
    assert client.get(f"/en/advisor/bookings/{booking.pk}/").status_code == 404
    client.force_login(entrepreneur)
    assert client.get(f"/en/advisor/bookings/{booking.pk}/").status_code == 404


def test_the_past_view_keeps_a_constant_number_of_queries(client, make_slot, book, advisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _past_booking(make_slot, book, advisor, days_ago=1)
    client.force_login(advisor.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/advisor/permanences/?past=1").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for days_ago in range(2, 6):
        _past_booking(make_slot, book, advisor, days_ago=days_ago)
    assert count() == few


def test_a_wrong_number_of_weeks_falls_back_to_three(client, advisor):
    client.force_login(advisor.user)
    assert client.get("/en/advisor/permanences/?weeks=abc").status_code == 200
    assert client.get("/en/advisor/permanences/?weeks=-2").status_code == 200


def test_the_booking_page_lists_the_needs_the_person_shared_with_the_agency(
    client, make_slot, book, advisor
):
    from tests.factories import NeedFactory, RoutedNeedFactory

    person = UserFactory()
    booking = book(make_slot(days=1, agency=advisor.agency, advisors=[advisor]), person)
    shared = RoutedNeedFactory(
        agency=advisor.agency, need=NeedFactory(user=person, description="Subside export")
    )
    RoutedNeedFactory(need=NeedFactory(user=person, description="Ailleurs"))  # other agency
    RoutedNeedFactory(
        agency=advisor.agency,
        shared=False,
        need=NeedFactory(user=person, consent=False, description="Pas partagé"),
    )
    client.force_login(advisor.user)

    content = client.get(f"/en/advisor/bookings/{booking.pk}/").content.decode()

    assert f'href="/en/agency/needs/{shared.pk}/"' in content and "Subside export" in content
    assert "Ailleurs" not in content and "Pas partagé" not in content
