"""Moving or cancelling a booking as the entrepreneur meets it: times of the same kind by
default, what changed said on the page and in the emails, the advisors told, and a
cancel that asks first."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from notifications import sending
from notifications.models import Notification
from permanences import notices
from permanences.models import Booking, Slot
from tests.factories import AdvisorFactory, IncubatorFactory, UserFactory

pytestmark = pytest.mark.django_db

ONE_TO_ONE_NL = {
    "start_time": datetime.time(10, 0),
    "end_time": datetime.time(11, 30),
    "slot_minutes": 45,
    "capacity": 1,
    "languages": ["nl"],
}


@pytest.fixture
def dutch_one_to_one(make_slot, book):
    """A Dutch entrepreneur's 45-minute one-to-one in Dutch, with its advisor named."""
    advisor = AdvisorFactory(user__first_name="Eva", user__last_name="Peeters")
    person = UserFactory(language="nl")
    slot = make_slot(days=3, agency=advisor.agency, advisors=[advisor], **ONE_TO_ONE_NL)
    return book(slot, person, language="nl")


def _reschedule_page(client, booking, query="") -> str:
    client.force_login(booking.user)
    response = client.get(f"/en/me/bookings/{booking.pk}/reschedule/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_it_offers_times_of_the_same_kind_first_and_every_time_on_request(
    client, make_slot, dutch_one_to_one
):
    agency = dutch_one_to_one.slot.agency
    same = make_slot(
        days=5, agency=agency, incubator=IncubatorFactory(name="Greenbizz"), **ONE_TO_ONE_NL
    )
    group = make_slot(
        days=6,
        agency=agency,
        incubator=IncubatorFactory(name="BeCentral"),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        slot_minutes=120,
        capacity=8,
        languages=["fr", "en"],
    )

    page = _reschedule_page(client, dutch_one_to_one)
    assert f'value="{same.pk}"' in page
    assert f'value="{group.pk}"' not in page
    assert "Greenbizz" in page and "45 min" in page and "one-to-one" in page
    assert "NL" in page and "with " + agency.short_name in page  # nobody named there

    wide = _reschedule_page(client, dutch_one_to_one, "?all=1")
    assert f'value="{same.pk}"' in wide and f'value="{group.pk}"' in wide
    assert "120 min" in wide and "group session, 8 places left" in wide and "FR · EN" in wide


@pytest.mark.parametrize("value", ["", "abc", "1.5", "\x00", "-4"])
def test_a_malformed_choice_is_refused_with_a_message_not_an_error(client, dutch_one_to_one, value):
    client.force_login(dutch_one_to_one.user)
    response = client.post(f"/en/me/bookings/{dutch_one_to_one.pk}/reschedule/", {"slot": value})
    assert response.status_code == 400
    assert "Choose one of the times in the list." in response.content.decode()
    dutch_one_to_one.refresh_from_db()
    assert dutch_one_to_one.status == "confirmed"


def test_a_move_says_what_changed_on_the_page_and_in_both_emails(
    client, make_slot, dutch_one_to_one
):
    old = dutch_one_to_one
    other_advisor = AdvisorFactory(
        agency=old.slot.agency, user__first_name="Jonas", user__language="en"
    )
    target = make_slot(
        days=5,
        agency=old.slot.agency,
        incubator=IncubatorFactory(name="Greenbizz"),
        advisors=[other_advisor],
        **ONE_TO_ONE_NL,
    )
    client.force_login(old.user)

    response = client.post(f"/en/me/bookings/{old.pk}/reschedule/", {"slot": target.pk})

    new = Booking.objects.get(rescheduled_from=old)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your booking has been moved. The advisor has been told."
    ]  # one message
    page = client.get(f"/en/me/bookings/{new.pk}/").content.decode()
    assert "What changed with the new time" in page
    assert "Greenbizz" in page and "Jonas" in page
    assert "Length" not in page  # 45 minutes both times: not a change

    told = set(
        Notification.objects.filter(kind=notices.BOOKING_MOVED_FOR_ADVISOR).values_list(
            "recipient", flat=True
        )
    )
    assert told == {old.slot.schedule.advisors.get().user_id, other_advisor.user_id}
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    to_person = next(m for m in mail.outbox if m.to == [old.user.email])
    assert "Wat is er veranderd:" in to_person.body  # in the entrepreneur's Dutch
    assert "Greenbizz" in to_person.body
    to_advisor = next(m for m in mail.outbox if m.to == [other_advisor.user.email])
    assert "moved their meeting" in to_advisor.subject
    assert "Greenbizz" in to_advisor.body


def test_cancel_asks_first_and_takes_a_word_for_the_advisor(client, dutch_one_to_one):
    client.force_login(dutch_one_to_one.user)
    url = f"/en/me/bookings/{dutch_one_to_one.pk}/cancel/"

    listing = client.get("/en/me/bookings/").content.decode()
    assert f'href="{url}"' in listing  # a link to the question, not a one-tap form
    page = client.get(url).content.decode()
    assert "Cancel this booking?" in page and "A word for the advisor (optional)" in page
    dutch_one_to_one.refresh_from_db()
    assert dutch_one_to_one.status == "confirmed"  # asking cancels nothing

    response = client.post(url, {"reason": "Found a lawyer already"})
    assert response.status_code == 302
    dutch_one_to_one.refresh_from_db()
    assert (dutch_one_to_one.status, dutch_one_to_one.cancel_reason) == (
        "cancelled",
        "Found a lawyer already",
    )


def test_past_the_notice_the_cancel_page_says_whom_to_contact(client, dutch_one_to_one):
    agency = dutch_one_to_one.slot.agency
    agency.email = "rdv@atrium.example"
    agency.save()
    # In three hours: the schedule asks for 12 hours' notice.
    starts = timezone.now() + datetime.timedelta(hours=3)
    moved = {"starts_at": starts, "ends_at": starts + datetime.timedelta(minutes=45)}
    Slot.objects.filter(pk=dutch_one_to_one.slot_id).update(**moved)
    Booking.objects.filter(pk=dutch_one_to_one.pk).update(**moved)
    client.force_login(dutch_one_to_one.user)

    page = client.get(f"/en/me/bookings/{dutch_one_to_one.pk}/cancel/").content.decode()

    assert "It is too late to cancel online" in page
    assert "mailto:rdv@atrium.example" in page
    assert 'name="reason"' not in page


def test_the_first_calendar_address_does_not_speak_of_an_older_one(client, entrepreneur):
    client.force_login(entrepreneur)
    first = client.post("/en/me/calendar/renew/", follow=True).content.decode()
    assert "Your private calendar address is ready." in first
    assert "no longer works" not in first
    again = client.post("/en/me/calendar/renew/", follow=True).content.decode()
    assert "the older one no longer works" in again


def _soon(booking: Booking, hours: int = 3) -> None:
    """Move the booking (and its slot) to start in `hours`, inside the 12-hour notice."""
    starts = timezone.now() + datetime.timedelta(hours=hours)
    moved = {"starts_at": starts, "ends_at": starts + datetime.timedelta(minutes=45)}
    Slot.objects.filter(pk=booking.slot_id).update(**moved)
    Booking.objects.filter(pk=booking.pk).update(**moved)


def test_past_the_notice_nothing_offers_to_move_or_cancel_online(client, dutch_one_to_one):
    _soon(dutch_one_to_one)
    client.force_login(dutch_one_to_one.user)
    base = f"/en/me/bookings/{dutch_one_to_one.pk}/"

    detail = client.get(base).content.decode()
    assert f'href="{base}reschedule/"' not in detail and f'href="{base}cancel/"' not in detail
    assert "It is too late to cancel or move it online" in detail
    assert "Too late to change online" in client.get("/en/me/bookings/").content.decode()
    page = client.get(f"{base}reschedule/").content.decode()
    assert "It is too late to move it online" in page and "reschedule-option" not in page


def test_the_booking_form_warns_when_the_meeting_could_no_longer_be_changed(
    client, make_slot, entrepreneur
):
    slot = make_slot(days=1)
    starts = timezone.now() + datetime.timedelta(hours=4)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=30)
    )
    client.force_login(entrepreneur)
    page = client.get(f"/en/permanences/slots/{slot.pk}/book/").content.decode()
    assert "once booked, it can no longer be cancelled or moved online" in page


def test_the_entrepreneur_gets_a_cancellation_email_that_removes_the_event(
    client, dutch_one_to_one
):
    client.force_login(dutch_one_to_one.user)
    client.post(f"/en/me/bookings/{dutch_one_to_one.pk}/cancel/", {"reason": ""})
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=10)

    [message] = [m for m in mail.outbox if m.to == [dutch_one_to_one.user.email]]
    assert "geannuleerd" in message.subject
    name, content, _mimetype = message.attachments[0]
    assert name == "permanence.ics" and "METHOD:CANCEL" in str(content)


def test_a_moved_booking_reads_moved_not_cancelled_and_members_only_times_are_not_offered(
    client, make_slot, dutch_one_to_one
):
    agency = dutch_one_to_one.slot.agency
    members = make_slot(days=6, agency=agency, audience="members", **ONE_TO_ONE_NL)
    target = make_slot(days=5, agency=agency, **ONE_TO_ONE_NL)
    client.force_login(dutch_one_to_one.user)

    wide = _reschedule_page(client, dutch_one_to_one, "?all=1")
    assert f'value="{members.pk}"' not in wide and f'value="{target.pk}"' in wide
    assert "in Dutch" in _reschedule_page(client, dutch_one_to_one)

    client.post(f"/en/me/bookings/{dutch_one_to_one.pk}/reschedule/", {"slot": target.pk})
    listing = client.get("/en/me/bookings/").content.decode()
    assert "Moved to " in listing
