"""What the beat finds due on each tick: reminders, the advisors' agendas and the digests.

Nothing is scheduled with a countdown. Every minute the database is asked what is due
now; each notice has a unique key (booking and kind, or person and day), so planning the
same notice again on the next tick, from a second beat or after an outage, records it
once. Recording is a bulk insert that skips keys already there.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import Notification

Kind = Notification.Kind


def _record_many(rows: list[Notification]) -> int:
    """Insert the notices not recorded yet; returns how many were new. Keys already
    there are left out first, so a tick that finds nothing new writes nothing; the
    unique key still settles a race between two beats."""
    fresh = []
    for i in range(0, len(rows), 1000):
        chunk = rows[i : i + 1000]
        known = set(
            Notification.objects.filter(key__in=[row.key for row in chunk]).values_list(
                "key", flat=True
            )
        )
        fresh += [row for row in chunk if row.key not in known]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
    return len(fresh)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def reminders_plan(*, now: datetime.datetime) -> int:
    """Record the reminders now due: `reminder_hours` (and `second_reminder_hours`) before
    each confirmed booking, set per schedule. A booking made after that moment gets no
    such reminder: its confirmation has just told the person."""
    from permanences.models import MAX_REMINDER_HOURS, Booking, PermanenceSchedule

    upcoming = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=MAX_REMINDER_HOURS),
    )
    rows = []
    for kind, setting in [
        (Kind.BOOKING_REMINDER, "reminder_hours"),
        (Kind.BOOKING_SECOND_REMINDER, "second_reminder_hours"),
    ]:
        # A handful of distinct values: one query each keeps the arithmetic in SQL.
        values = (
            PermanenceSchedule.objects.filter(**{f"{setting}__isnull": False})
            .values_list(setting, flat=True)
            .distinct()
        )
        for hours in values:
            ahead = datetime.timedelta(hours=hours)
            # No anti-join with the outbox here: with stale statistics (a burst of new
            # rows) PostgreSQL ran it as a nested loop over both tables, tens of seconds
            # for 10,000 bookings. The bookings in the window are few (those starting
            # within `hours`); _record_many leaves out the keys already recorded.
            due = upcoming.filter(
                **{f"slot__schedule__{setting}": hours},
                starts_at__lte=now + ahead,
                starts_at__gte=F("created_at") + ahead,
            )
            rows += [
                Notification(
                    kind=kind,
                    recipient_id=user_id,
                    booking_id=pk,
                    key=f"{kind}:booking:{pk}:user:{user_id}",
                    context={"hours": hours},
                )
                for pk, user_id in due.values_list("pk", "user_id")
            ]
    return _record_many(rows)


def agendas_plan(*, now: datetime.datetime) -> int:
    """From NOTIFICATIONS_AGENDA_HOUR, each advisor with meetings tomorrow gets their
    agenda. Who holds a booking: the advisors its schedule names, or else every active
    advisor of the agency (as in the advisor's own page)."""
    from incubators.models import Advisor
    from permanences.models import Booking, PermanenceSchedule

    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATIONS_AGENDA_HOUR:
        return 0
    day = local.date() + datetime.timedelta(days=1)
    start = _day_start(day)
    booked = set(
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            starts_at__gte=start,
            starts_at__lt=_day_start(day + datetime.timedelta(days=1)),
        ).values_list("slot__schedule_id", "slot__agency_id")
    )
    if not booked:
        return 0
    named: dict[int, set[int]] = {}
    for schedule_id, user_id, active in PermanenceSchedule.advisors.through.objects.filter(
        permanenceschedule_id__in={schedule_id for schedule_id, _agency in booked}
    ).values_list("permanenceschedule_id", "advisor__user_id", "advisor__is_active"):
        named.setdefault(schedule_id, set())
        if active:
            named[schedule_id].add(user_id)
    by_agency: dict[int, set[int]] = {}
    for agency_id, user_id in Advisor.objects.filter(
        is_active=True, agency_id__in={agency_id for _schedule, agency_id in booked}
    ).values_list("agency_id", "user_id"):
        by_agency.setdefault(agency_id, set()).add(user_id)
    users: set[int] = set()
    for schedule_id, agency_id in booked:
        users |= named[schedule_id] if schedule_id in named else by_agency.get(agency_id, set())
    return _record_many(
        [
            Notification(
                kind=Kind.ADVISOR_AGENDA,
                recipient_id=user_id,
                key=f"{Kind.ADVISOR_AGENDA}:user:{user_id}:date:{day.isoformat()}",
                context={"date": day.isoformat()},
            )
            for user_id in sorted(users)
        ]
    )


def needs_digest_plan(*, now: datetime.datetime) -> int:
    """From NOTIFICATIONS_DIGEST_HOUR, the staff of each agency with overdue needs get the
    day's digest, unless they switched it off."""
    from incubators.models import Advisor
    from needs.models import RoutedNeed

    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    day = local.date().isoformat()
    agencies = RoutedNeed.objects.filter(
        shared=True, status=RoutedNeed.Status.NEW, ack_due_at__lt=now
    ).values("agency_id")
    staff = Advisor.objects.filter(
        agency_id__in=agencies, is_active=True, user__is_active=True, user__digest_needs=True
    ).values_list("user_id", flat=True)
    return _record_many(
        [
            Notification(
                kind=Kind.NEEDS_OVERDUE_DIGEST,
                recipient_id=user_id,
                key=f"{Kind.NEEDS_OVERDUE_DIGEST}:user:{user_id}:date:{day}",
                context={"date": day},
            )
            for user_id in staff
        ]
    )


def permanences_digest_plan(*, now: datetime.datetime) -> int:
    """On Mondays from NOTIFICATIONS_DIGEST_HOUR, each incubator manager gets the week's
    permanences at their incubators, unless they switched it off."""
    from accounts.models import User
    from permanences.models import Slot

    local = timezone.localtime(now)
    if local.weekday() != 0 or local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    monday = local.date()
    start = _day_start(monday)
    week = Slot.objects.filter(
        status=Slot.Status.OPEN,
        starts_at__gte=start,
        starts_at__lt=_day_start(monday + datetime.timedelta(days=7)),
    ).values("incubator_id")
    managers = (
        User.objects.filter(managed_incubators__in=week, is_active=True, digest_permanences=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    return _record_many(
        [
            Notification(
                kind=Kind.PERMANENCES_WEEKLY_DIGEST,
                recipient_id=user_id,
                key=f"{Kind.PERMANENCES_WEEKLY_DIGEST}:user:{user_id}:date:{monday.isoformat()}",
                context={"date": monday.isoformat()},
            )
            for user_id in managers
        ]
    )


def notifications_plan(*, now: datetime.datetime | None = None) -> int:
    """Everything that has become due; safe to run from any number of beats at once."""
    from surveys.services import periodic_invitations_plan, survey_reminders_plan

    now = now or timezone.now()
    return (
        reminders_plan(now=now)
        + agendas_plan(now=now)
        + needs_digest_plan(now=now)
        + permanences_digest_plan(now=now)
        + periodic_invitations_plan(now=now)
        + survey_reminders_plan(now=now)
    )
