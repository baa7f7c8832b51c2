"""What permanences tell people and when: reminders, the advisors' agendas and the
managers' weekly digest, as the beat finds them due (eager, in-process). The real worker,
Redis outages and killed workers are in tests/notifications/test_worker.py."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from notifications import sending
from notifications.models import Notification
from permanences import notices
from permanences import services as booking_services
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


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

    assert notices.reminders_plan(now=booking.starts_at - datetime.timedelta(hours=25)) == 0
    moment = booking.starts_at - datetime.timedelta(hours=23)
    assert notices.reminders_plan(now=moment) == 1
    assert notices.reminders_plan(now=moment) == 0  # the next tick, or a second beat
    [reminder] = _send_all()
    assert reminder.to == [person.email]
    assert reminder.subject.startswith("Reminder: your permanence with")
    assert "Cancel it so that someone else can take the place" in reminder.body
    assert reminder.attachments[0][0] == "permanence.ics"
    assert _send_all() == []
    assert Notification.objects.get(kind=notices.BOOKING_REMINDER).state == "sent"


def test_a_cancelled_booking_gets_no_reminder(make_slot, book):
    person = UserFactory()
    planned = book(make_slot(days=3), person)
    cancelled = book(make_slot(days=4), person)
    booking_services.booking_cancel(booking=cancelled, by=person, reason="")

    moment = cancelled.starts_at - datetime.timedelta(hours=1)
    notices.reminders_plan(now=moment)
    assert not Notification.objects.filter(
        booking=cancelled, kind=notices.BOOKING_REMINDER
    ).exists()

    # Cancelled after the reminder was recorded but before it went out: skipped.
    notices.reminders_plan(now=planned.starts_at - datetime.timedelta(hours=2))
    booking_services.booking_cancel(booking=planned, by=person, reason="")
    assert _send_all() == []
    assert (
        Notification.objects.get(booking=planned, kind=notices.BOOKING_REMINDER).state == "skipped"
    )


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

    notices.reminders_plan(now=early.starts_at - datetime.timedelta(hours=1))
    notices.reminders_plan(now=late.starts_at - datetime.timedelta(hours=1))
    kinds = sorted(
        Notification.objects.filter(kind__contains="reminder").values_list("kind", "subject_id")
    )
    assert kinds == sorted(
        [
            (notices.BOOKING_REMINDER, early.pk),
            (notices.BOOKING_SECOND_REMINDER, early.pk),
            (notices.BOOKING_SECOND_REMINDER, late.pk),
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

    assert notices.agendas_plan(now=_at(the_day_before, 16)) == 0
    assert notices.agendas_plan(now=_at(the_day_before, 17)) == 1
    assert notices.agendas_plan(now=_at(the_day_before, 18)) == 0
    agenda = Notification.objects.get(kind=notices.ADVISOR_AGENDA)
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
    assert notices.agendas_plan(now=_at(the_day_before, 20)) == 2
    assert set(
        Notification.objects.filter(kind=notices.ADVISOR_AGENDA).values_list("recipient", flat=True)
    ) == {first.user.pk, second.user.pk}


def test_incubator_managers_get_the_weeks_permanences_on_monday(make_slot, book):
    manager = UserFactory(language="en", role=Role.INCUBATOR_MANAGER)
    slot = make_slot(days=8)
    slot.incubator.managers.add(manager)
    book(slot, UserFactory())
    day = timezone.localtime(slot.starts_at).date()
    monday = day - datetime.timedelta(days=day.weekday())

    assert notices.permanences_digest_plan(now=_at(monday + datetime.timedelta(days=1), 9)) == 0
    assert notices.permanences_digest_plan(now=_at(monday, 9)) == 1
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [digest] = [m for m in mail.outbox if m.to == [manager.email]]
    assert digest.subject.startswith("The permanences of the week of")
    assert f"{slot.incubator.name} · {slot.agency.short_name}" in digest.body
    assert "1/6 booked" in digest.body  # 09:00-12:00 in 30-minute slots, one booked
    assert "List-Unsubscribe" in digest.extra_headers


def _in_the_past(booking, days: int):
    """The booking's slot as if it had been `days` days ago (none can be booked there)."""
    from permanences.models import Booking, Slot

    ahead = (timezone.localdate(booking.starts_at) - timezone.localdate()).days
    shift = datetime.timedelta(days=ahead + days)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=booking.slot.starts_at - shift, ends_at=booking.slot.ends_at - shift
    )
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - shift, ends_at=booking.ends_at - shift
    )
    return Booking.objects.select_related("slot").get(pk=booking.pk)


def test_the_agenda_lists_the_meetings_of_the_last_14_days_still_to_mark(make_slot, book):
    advisor = AdvisorFactory(user__language="en")
    tomorrow = make_slot(days=1, agency=advisor.agency, advisors=[advisor])
    book(tomorrow, UserFactory(), topic="Demain")
    unmarked = _in_the_past(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor]),
            UserFactory(),
            topic="Pas encore indiqué",
        ),
        4,
    )
    marked = _in_the_past(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor]),
            UserFactory(),
            topic="Déjà indiqué",
        ),
        3,
    )
    booking_services.booking_mark_attendance(
        booking=marked, attended=True, outcome="", by=advisor.user
    )
    _in_the_past(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor]),
            UserFactory(),
            topic="Trop ancien",
        ),
        20,
    )
    today = timezone.localdate()
    assert notices.agendas_plan(now=_at(today, 20)) == 1

    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [message] = [m for m in mail.outbox if m.to == [advisor.user.email]]
    assert message.subject.startswith("Your agenda for") and "1 meeting" in message.subject
    body = message.body
    assert body.index("Demain") < body.index("Still to mark") < body.index("Pas encore indiqué")
    assert "Déjà indiqué" not in body and "Trop ancien" not in body
    assert "Mark them: http://" in body and "/en/advisor/permanences/?past=1" in body
    local = timezone.localtime(unmarked.starts_at)
    assert f"{local:%a} {local.day} {local:%B} 10:00–10:30" in body


def test_an_advisor_with_meetings_to_mark_gets_an_agenda_even_with_none_tomorrow(make_slot, book):
    advisor = AdvisorFactory(user__language="fr")
    colleague = AdvisorFactory(agency=advisor.agency)  # the schedule names the advisor only
    _in_the_past(
        book(
            make_slot(days=1, agency=advisor.agency, advisors=[advisor]),
            UserFactory(),
            topic="Subside régional",
        ),
        2,
    )
    today = timezone.localdate()
    assert notices.agendas_plan(now=_at(today, 20)) == 1
    assert notices.agendas_plan(now=_at(today, 21)) == 0  # one a day
    agenda = Notification.objects.get(kind=notices.ADVISOR_AGENDA)
    assert agenda.recipient == advisor.user != colleague.user
    tomorrow = today + datetime.timedelta(days=1)
    assert agenda.key == f"advisor_agenda:user:{advisor.user.pk}:date:{tomorrow.isoformat()}"

    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    [message] = [m for m in mail.outbox if m.to == [advisor.user.email]]
    assert message.subject == "1 rendez-vous dont la présence reste à indiquer"
    assert "Aucun rendez-vous le" in message.body and "Subside régional" in message.body
    assert "/fr/advisor/permanences/?past=1" in message.body


def test_no_agenda_once_everything_is_marked_and_nothing_is_planned(make_slot, book):
    advisor = AdvisorFactory()
    booking = _in_the_past(
        book(make_slot(days=1, agency=advisor.agency, advisors=[advisor]), UserFactory()), 2
    )
    booking_services.booking_mark_attendance(
        booking=booking, attended=False, outcome="", by=advisor.user
    )
    assert notices.agendas_plan(now=_at(timezone.localdate(), 20)) == 0
