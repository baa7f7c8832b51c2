"""Reminders, agendas and digests: what the beat finds due on each tick (eager, in-process).
The real worker, Redis outages and killed workers are in test_worker.py."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from notifications import planning, sending
from notifications.models import Notification
from permanences import services as booking_services
from tests.factories import AdvisorFactory, RoutedNeedFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _send_all() -> list:
    """Send what is due now (the booking confirmations too) and return the reminders."""
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    return [m for m in mail.outbox if "Reminder" in m.subject or "Rappel" in m.subject]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def test_a_booking_is_reminded_once_24_hours_before_in_the_persons_language(make_slot, book):
    person = UserFactory(language="en")
    booking = book(make_slot(days=3), person)

    assert planning.reminders_plan(now=booking.starts_at - datetime.timedelta(hours=25)) == 0
    moment = booking.starts_at - datetime.timedelta(hours=23)
    assert planning.reminders_plan(now=moment) == 1
    assert planning.reminders_plan(now=moment) == 0  # the next tick, or a second beat
    [reminder] = _send_all()
    assert reminder.to == [person.email]
    assert reminder.subject.startswith("Reminder: your permanence with")
    assert "Cancel it so that someone else can take the place" in reminder.body
    assert reminder.attachments[0][0] == "permanence.ics"
    assert _send_all() == []
    assert Notification.objects.get(kind=Kind.BOOKING_REMINDER).state == "sent"


def test_a_cancelled_booking_gets_no_reminder(make_slot, book):
    person = UserFactory()
    planned = book(make_slot(days=3), person)
    cancelled = book(make_slot(days=4), person)
    booking_services.booking_cancel(booking=cancelled, by=person, reason="")

    moment = cancelled.starts_at - datetime.timedelta(hours=1)
    planning.reminders_plan(now=moment)
    assert not Notification.objects.filter(booking=cancelled, kind=Kind.BOOKING_REMINDER).exists()

    # Cancelled after the reminder was recorded but before it went out: skipped.
    planning.reminders_plan(now=planned.starts_at - datetime.timedelta(hours=2))
    booking_services.booking_cancel(booking=planned, by=person, reason="")
    assert _send_all() == []
    assert Notification.objects.get(booking=planned, kind=Kind.BOOKING_REMINDER).state == "skipped"


def test_the_second_reminder_follows_the_schedule_and_a_late_booking_skips_the_first(
    make_slot, book
):
    early = book(make_slot(days=3, second_reminder_hours=2), UserFactory())
    late = book(make_slot(days=4, reminder_hours=48, second_reminder_hours=2), UserFactory())
    # `late` was booked 30 hours before its start: too late for the 48-hour reminder.
    from permanences.models import Booking

    Booking.objects.filter(pk=late.pk).update(
        created_at=late.starts_at - datetime.timedelta(hours=30)
    )

    planning.reminders_plan(now=early.starts_at - datetime.timedelta(hours=1))
    planning.reminders_plan(now=late.starts_at - datetime.timedelta(hours=1))
    kinds = sorted(
        Notification.objects.filter(kind__contains="reminder").values_list("kind", "booking")
    )
    assert kinds == sorted(
        [
            (Kind.BOOKING_REMINDER, early.pk),
            (Kind.BOOKING_SECOND_REMINDER, early.pk),
            (Kind.BOOKING_SECOND_REMINDER, late.pk),
        ]
    )


def test_a_schedule_refuses_a_second_reminder_before_the_first(make_schedule):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    schedule = make_schedule(reminder_hours=24)
    schedule.second_reminder_hours = 30
    with pytest.raises(ValidationError) as error:
        schedule.full_clean()
    assert "second_reminder_hours" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        schedule.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_schedule(reminder_hours=0)


def test_advisors_get_tomorrows_agenda_from_the_agenda_hour(make_slot, book, settings):
    settings.NOTIFICATIONS_AGENDA_HOUR = 17
    named = AdvisorFactory(user__language="nl")
    colleague = AdvisorFactory(agency=named.agency)
    slot = make_slot(days=2, agency=named.agency, advisors=[named])
    book(slot, UserFactory(first_name="Lotte", last_name="Maes"), topic="Export naar Duitsland")
    other = make_slot(days=2, agency=AdvisorFactory().agency)  # nobody named, not booked
    assert other.booked_count == 0
    the_day_before = timezone.localtime(slot.starts_at).date() - datetime.timedelta(days=1)

    assert planning.agendas_plan(now=_at(the_day_before, 16)) == 0
    assert planning.agendas_plan(now=_at(the_day_before, 17)) == 1
    assert planning.agendas_plan(now=_at(the_day_before, 18)) == 0
    agenda = Notification.objects.get(kind=Kind.ADVISOR_AGENDA)
    assert agenda.recipient == named.user  # the schedule names them: not the colleague
    assert colleague.user != agenda.recipient

    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [message] = [m for m in mail.outbox if m.to == [named.user.email]]
    assert message.subject.startswith("Uw agenda voor")
    assert "10:00–10:30" in message.body
    assert "Lotte Maes" in message.body and "Export naar Duitsland" in message.body


def test_a_schedule_naming_nobody_sends_the_agenda_to_the_agencys_advisors(make_slot, book):
    first = AdvisorFactory()
    second = AdvisorFactory(agency=first.agency)
    slot = make_slot(days=2, agency=first.agency)
    book(slot, UserFactory())
    the_day_before = timezone.localtime(slot.starts_at).date() - datetime.timedelta(days=1)
    assert planning.agendas_plan(now=_at(the_day_before, 20)) == 2
    assert set(
        Notification.objects.filter(kind=Kind.ADVISOR_AGENDA).values_list("recipient", flat=True)
    ) == {first.user.pk, second.user.pk}


def test_an_agency_gets_a_daily_digest_of_overdue_needs_that_can_be_switched_off(client, settings):
    settings.NOTIFICATIONS_DIGEST_HOUR = 8
    staff = AdvisorFactory(user__language="fr")
    opted_out = AdvisorFactory(agency=staff.agency, user__digest_needs=False)
    elsewhere = AdvisorFactory()
    RoutedNeedFactory(agency=staff.agency, ack_due_at=timezone.now() - datetime.timedelta(days=1))
    RoutedNeedFactory(agency=elsewhere.agency)  # not overdue
    morning = timezone.localtime().replace(hour=8, minute=5)

    assert planning.needs_digest_plan(now=morning.replace(hour=7)) == 0
    assert planning.needs_digest_plan(now=morning) == 1
    assert planning.needs_digest_plan(now=morning.replace(hour=11)) == 0  # once a day
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [digest] = mail.outbox
    assert digest.to == [staff.user.email]
    assert opted_out.user.email not in digest.to
    assert "1 besoin attend une réponse" in digest.subject
    assert "Financement" in digest.body  # the category, in French
    assert "?overdue=on" in digest.body

    # The List-Unsubscribe link asks first, then switches the digest off.
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.removeprefix(settings.SITE_URL)
    page = client.get(path)
    assert page.status_code == 200
    assert staff.user.email in page.content.decode()
    staff.user.refresh_from_db()
    assert staff.user.digest_needs is True
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Vous ne recevrez plus" in done.content.decode()
    staff.user.refresh_from_db()
    assert staff.user.digest_needs is False

    tomorrow = morning + datetime.timedelta(days=1)
    assert planning.needs_digest_plan(now=tomorrow) == 0


def test_a_tampered_unsubscribe_link_gets_a_clear_page(client):
    response = client.get("/nl/notifications/unsubscribe/not-a-token/")
    assert response.status_code == 400
    assert "Deze afmeldlink is niet geldig" in response.content.decode()
    assert client.post("/nl/notifications/unsubscribe/not-a-token/").status_code == 400


def test_an_opted_out_digest_recorded_earlier_is_not_sent(settings):
    staff = AdvisorFactory()
    RoutedNeedFactory(agency=staff.agency, ack_due_at=timezone.now() - datetime.timedelta(days=1))
    planning.needs_digest_plan(now=timezone.localtime().replace(hour=23))
    staff.user.digest_needs = False
    staff.user.save()
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    assert mail.outbox == []
    assert Notification.objects.get(kind=Kind.NEEDS_OVERDUE_DIGEST).state == "skipped"


def test_incubator_managers_get_the_weeks_permanences_on_monday(make_slot, book):
    manager = UserFactory(language="en", role=Role.INCUBATOR_MANAGER)
    slot = make_slot(days=8)
    slot.incubator.managers.add(manager)
    book(slot, UserFactory())
    day = timezone.localtime(slot.starts_at).date()
    monday = day - datetime.timedelta(days=day.weekday())

    assert planning.permanences_digest_plan(now=_at(monday + datetime.timedelta(days=1), 9)) == 0
    assert planning.permanences_digest_plan(now=_at(monday, 9)) == 1
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [digest] = [m for m in mail.outbox if m.to == [manager.email]]
    assert digest.subject.startswith("The permanences of the week of")
    assert f"{slot.incubator.name} · {slot.agency.short_name}" in digest.body
    assert "1/6 booked" in digest.body  # 09:00-12:00 in 30-minute slots, one booked
    assert "List-Unsubscribe" in digest.extra_headers


def test_the_coordinator_sends_a_failed_message_again_from_the_admin(client, make_slot, book):
    book(make_slot(days=2), UserFactory())
    notification = Notification.objects.get()
    Notification.objects.filter(pk=notification.pk).update(
        state="failed", attempts=6, last_error="SMTPServerDisconnected: gone"
    )
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))
    listing = client.get("/en/admin/notifications/notification/?state__exact=failed")
    assert "SMTPServerDisconnected: gone" in listing.content.decode()

    response = client.post(
        "/en/admin/notifications/notification/",
        {"action": "send_again", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert "1 message will be sent again." in response.content.decode()
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("pending", 0)
    mail.outbox.clear()
    assert sending.notifications_dispatch(seconds=30) == 1
    notification.refresh_from_db()
    assert notification.state == "sent"


def test_the_profile_offers_the_digests_a_person_can_receive(client):
    advisor = AdvisorFactory(user__language="en")
    client.force_login(advisor.user)
    page = client.get("/en/me/profile/").content.decode()
    assert "daily digest of overdue needs" in page.lower()
    assert "weekly digest" not in page.lower()

    entrepreneur = UserFactory(language="en")
    client.force_login(entrepreneur)
    page = client.get("/en/me/profile/").content.decode()
    assert "digest" not in page.lower()

    client.force_login(advisor.user)
    client.post(
        "/en/me/profile/",
        {"first_name": "A", "last_name": "B", "language": "en", "digest_needs": ""},
    )
    advisor.user.refresh_from_db()
    assert advisor.user.digest_needs is False
