import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from notifications import sending
from notifications.models import Notification
from permanences import services as booking_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that refuses everything."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_a_confirmation_goes_out_once_in_the_recipients_language_with_the_calendar_file(
    make_slot, book
):
    person = UserFactory(language="nl")
    book(make_slot(days=2), person)
    assert sending.notifications_dispatch() == 1
    assert sending.notifications_dispatch() == 0
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "bevestigd" in message.subject
    assert message.attachments[0][0] == "permanence.ics"
    assert "BEGIN:VCALENDAR" in str(message.attachments[0][1])
    html = message.alternatives[0][0]
    assert "/nl/me/bookings/" in html
    assert Notification.objects.get().state == "sent"


def test_two_workers_claiming_one_notification_send_it_once(make_slot, book):
    book(make_slot(days=2), UserFactory())
    pk = Notification.objects.get().pk
    assert len(sending.notifications_claim(pks=[pk])) == 1
    assert sending.notifications_claim(pks=[pk]) == []
    assert sending.notification_send(pk=pk) is False
    assert mail.outbox == []


def test_a_booking_cancelled_before_its_confirmation_gets_none(make_slot, book):
    person = UserFactory()
    booking = book(make_slot(days=2), person)
    booking_services.booking_cancel(booking=booking, by=person, reason="")
    sending.notifications_dispatch()
    assert Notification.objects.get(kind="booking_confirmed").state == "skipped"
    # Only the cancellation the person asked for reaches them, not the confirmation.
    assert [m.subject.split(" ")[-1] for m in mail.outbox] == ["annulée"]  # French


def test_a_failing_server_is_retried_with_back_off_then_marked_failed(settings, make_slot, book):
    settings.EMAIL_BACKEND = "tests.notifications.test_sending.BrokenBackend"
    book(make_slot(days=2), UserFactory())
    notification = Notification.objects.get()
    assert sending.notifications_dispatch() == 0
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("pending", 1)
    assert notification.next_attempt_at > timezone.now()
    assert "SMTP down" in notification.last_error
    for _ in range(sending.MAX_ATTEMPTS):
        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
        sending.notifications_dispatch()
    notification.refresh_from_db()
    assert notification.state == "failed"


def test_a_claim_left_by_a_dead_worker_is_sent_later(make_slot, book):
    book(make_slot(days=2), UserFactory())
    Notification.objects.update(
        state="sending", claimed_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    assert sending.notifications_dispatch() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_records_and_queues_nothing(
    make_slot, category, django_capture_on_commit_callbacks
):
    slot = make_slot(days=2)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        booking_services.booking_create(
            slot_id=slot.pk,
            user=UserFactory(),
            category=category,
            topic="x",
            language="fr",
            consent_share_profile=True,
        )
        raise RuntimeError("the request failed after booking")
    assert callbacks == []
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        booking_services.booking_create(
            slot_id=slot.pk,
            user=UserFactory(),
            category=category,
            topic="x",
            language="fr",
            consent_share_profile=True,
        )
    assert len(callbacks) == 1


def test_a_new_need_tells_the_agency_staff_in_their_language(routing_rules):
    from incubators.models import Agency, NeedCategory
    from needs.services import need_create
    from tests.factories import AdvisorFactory

    advisor = AdvisorFactory(agency=Agency.objects.get(slug="bie"), user__language="fr")
    need_create(
        user=UserFactory(),
        category=NeedCategory.objects.get(slug="export"),
        description="Vendre en Allemagne",
        consent=True,
    )
    assert sending.notifications_dispatch() == 1
    [message] = mail.outbox
    assert message.to == [advisor.user.email]
    assert message.subject.startswith("Nouveau besoin") or "besoin" in message.subject.lower()
    assert "/fr/agency/needs/" in message.body


def test_a_slot_cancelled_by_the_coordinator_offers_other_free_slots_of_the_agency(make_slot, book):
    from accounts.models import Role
    from accounts.services import user_set_role
    from permanences.models import Slot

    person = UserFactory(language="en")
    slot = make_slot(days=3)
    book(slot, person)
    other = Slot.objects.filter(schedule=slot.schedule, booked_count=0).order_by("starts_at")[0]
    coordinator = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    booking_services.slot_cancel(slot=slot, reason="Advisor ill", by=coordinator)
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [message] = [m for m in mail.outbox if "cancelled" in m.subject]
    assert "Reason: Advisor ill" in message.body
    assert f"Other free slots with {slot.agency.short_name}:" in message.body
    assert f"/en/permanences/slots/{other.pk}/book/" in message.body


def _queries_to_send(make_slot, book, bookings: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slot = make_slot(days=2, capacity=bookings)
    for _ in range(bookings):
        book(slot, UserFactory())
    pks = list(Notification.objects.filter(state="pending").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert sending.notifications_send(pks=pks) == bookings
    return len(queries)


def test_a_batch_loads_what_its_notices_are_about_in_a_constant_number_of_queries(make_slot, book):
    """The subjects come with one query per model (GenericPrefetch), whatever the batch
    size: the queries that remain are per message (marking it sent)."""
    few = _queries_to_send(make_slot, book, 2)
    Notification.objects.all().delete()
    many = _queries_to_send(make_slot, book, 6)
    # Four more messages: four more conditional UPDATEs marking each sent, no lookups.
    assert many - few <= 4


def test_addresses_in_an_email_are_links_in_its_html(make_slot, book):
    from permanences.services import slot_cancel

    booking = book(make_slot(days=2), UserFactory(language="en"))
    slot_cancel(slot=booking.slot, reason="Advisor ill", by=UserFactory())
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=10)

    [message] = [m for m in mail.outbox if m.to == [booking.user.email]]
    html = message.alternatives[0][0]
    assert '<a href="http://127.0.0.1:8000/en/permanences/slots/' in html  # the other slots


def test_an_smtp_server_that_never_answers_is_given_up_after_email_timeout(
    settings, make_slot, book
):
    """A server that accepts the connection and then says nothing must not hold a worker:
    the send fails after EMAIL_TIMEOUT and the message waits for its next attempt."""
    import socket
    import time

    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 60  # Django's default: none
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # the kernel accepts; nobody ever sends the SMTP greeting
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
    settings.EMAIL_TIMEOUT = 1
    try:
        book(make_slot(days=2), UserFactory())
        started = time.monotonic()
        assert sending.notifications_dispatch() == 0
        assert time.monotonic() - started < 10
    finally:
        silent.close()
    notification = Notification.objects.get()
    assert (notification.state, notification.attempts) == ("pending", 1)
    assert notification.next_attempt_at > timezone.now()
