import re

import pytest
import segno  # noqa: F401 - the QR library the ticket needs
from django.core import mail

from events import services
from events.models import GuestNotice, Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Registration.Status


def test_the_ticket_email_carries_the_qr_code_and_the_calendar_file(make_event, send_all):
    event = make_event()
    user = UserFactory(language="nl")
    registration = services.registration_create(event_id=event.pk, user=user)
    [message] = [m for m in send_all() if m.to == [user.email]]
    names = [name for name, _content, _type in message.attachments]
    assert names == ["ticket-qr.png", "event.ics"]
    png = message.attachments[0][1]
    assert png.startswith(b"\x89PNG")
    assert f"/nl/events/tickets/{registration.token}/" in message.body
    assert "BEGIN:VEVENT" in str(message.attachments[1][1])


def test_the_qr_code_encodes_the_check_in_address(make_event):
    from events.notices import checkin_url

    event = make_event()
    registration = services.registration_create(event_id=event.pk, user=UserFactory())
    assert checkin_url(registration).endswith(f"/events/checkin/{registration.token}/")


def test_joining_the_waiting_list_says_the_position(make_event, send_all):
    event = make_event(capacity=1)
    services.registration_create(event_id=event.pk, user=UserFactory())
    user = UserFactory(language="en")
    services.registration_create(event_id=event.pk, user=user)
    [message] = [m for m in send_all() if m.to == [user.email]]
    assert "number 1 on the waiting list" in message.body


def test_the_offer_email_has_accept_and_decline_links(make_event, send_all):
    event = make_event(capacity=1)
    holder = services.registration_create(event_id=event.pk, user=UserFactory())
    user = UserFactory(language="en")
    first = services.registration_create(event_id=event.pk, user=user)
    send_all()
    services.registration_cancel(registration_id=holder.pk)
    [message] = [m for m in send_all() if m.to == [user.email]]
    assert f"/en/events/tickets/{first.token}/accept/" in message.body
    assert f"/en/events/tickets/{first.token}/decline/" in message.body


def test_an_expired_offer_is_told_and_the_next_is_offered(make_event, send_all):
    event = make_event(capacity=1)
    holder = services.registration_create(event_id=event.pk, user=UserFactory())
    first_user, second_user = UserFactory(language="en"), UserFactory(language="en")
    first = services.registration_create(event_id=event.pk, user=first_user)
    services.registration_create(event_id=event.pk, user=second_user)
    services.registration_cancel(registration_id=holder.pk)
    first.refresh_from_db()
    send_all()
    services.registration_offers_expire(now=first.offer_expires_at)
    sent = send_all()
    assert any(m.to == [first_user.email] and "has gone" in m.subject for m in sent)
    assert any(m.to == [second_user.email] and "free for you" in m.subject for m in sent)


def test_a_guest_counts_only_once_the_email_is_confirmed(make_event, send_all, client):
    event = make_event(capacity=1)
    guest = services.registration_create(
        event_id=event.pk, guest_name="Ann Peeters", guest_email="Ann@Example.org", language="en"
    )
    assert guest.status == S.PENDING_EMAIL
    assert services.places_left(event) == 1  # no place held before the email is confirmed
    [message] = send_all()
    assert message.to == ["ann@example.org"]
    assert "Hello Ann Peeters" in message.body
    link = re.search(r"http://[^\s]+/en/events/confirm/[^\s]+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200  # a page with a button: scanners do nothing
    assert Registration.objects.get(pk=guest.pk).status == S.PENDING_EMAIL
    response = client.post(f"/{path}")
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.status == S.CONFIRMED
    assert GuestNotice.objects.filter(registration=guest, sent_at__isnull=False).count() == 1
    [ticket] = send_all()
    assert ticket.to == ["ann@example.org"]


def test_a_forged_confirmation_link_is_refused(make_event):
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_confirm_email(signed="abc:def:ghi")
    assert exc.value.code == "link_invalid"


def test_a_guest_typing_the_address_again_gets_a_fresh_link_not_a_second_registration(
    make_event, send_all
):
    event = make_event()
    first = services.registration_create(
        event_id=event.pk, guest_name="Ann", guest_email="ann@example.org"
    )
    again = services.registration_create(
        event_id=event.pk,
        guest_name="Ann P.",
        guest_email="ANN@example.org",
        now=first.created_at.replace(microsecond=0) + __import__("datetime").timedelta(minutes=5),
    )
    assert again.pk == first.pk
    assert len(send_all()) == 2


def test_a_guest_notice_that_fails_is_retried(make_event, settings, monkeypatch):
    from events import notices

    event = make_event()
    services.registration_create(event_id=event.pk, guest_name="Ann", guest_email="a@example.org")
    calls = {"n": 0}

    def boom(self, *args, **kwargs):
        calls["n"] += 1
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
    assert notices.guest_notices_send() == 0
    notice = GuestNotice.objects.get()
    assert (
        notice.sent_at is None and notice.attempts == 1 and "mail server down" in notice.last_error
    )
    monkeypatch.undo()
    mail.outbox.clear()
    assert notices.guest_notices_send(now=notice.next_attempt_at) == 1


def test_the_beat_expires_offers_through_the_registered_planner(make_event):
    from notifications import registry

    event = make_event(capacity=1)
    holder = services.registration_create(event_id=event.pk, user=UserFactory())
    first = services.registration_create(event_id=event.pk, user=UserFactory())
    second = services.registration_create(event_id=event.pk, user=UserFactory())
    services.registration_cancel(registration_id=holder.pk)
    first.refresh_from_db()
    registry.plan_all(now=first.offer_expires_at)
    assert Registration.objects.get(pk=first.pk).status == S.EXPIRED
    assert Registration.objects.get(pk=second.pk).status == S.OFFERED


def test_a_guest_confirming_after_the_event_filled_joins_the_waiting_list(make_event):
    event = make_event(capacity=1)
    guest = services.registration_create(
        event_id=event.pk, guest_name="Ann", guest_email="ann@example.org"
    )
    services.registration_create(event_id=event.pk, user=UserFactory())
    confirmed = services.registration_confirm_email(signed=services.guest_confirmation_token(guest))
    assert confirmed.status == S.WAITLISTED
    assert confirmed.waitlist_position == 1
