"""Materialising slots from weekly schedules, over a rolling horizon.

Idempotent: running it twice creates nothing the second time. When a schedule changes,
future free slots that no longer match are removed, and booked ones are kept and
flagged `off_schedule` for the coordinator to settle: a booking is never dropped.
"""

import datetime
import io
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, reduce

import holidays
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from common.dates import BRUSSELS

from .models import Closure, PermanenceSchedule, Slot


@dataclass
class GenerationResult:
    created: int = 0
    removed: int = 0
    flagged: int = 0
    updated: int = 0

    def __iadd__(self, other: "GenerationResult") -> "GenerationResult":
        self.created += other.created
        self.removed += other.removed
        self.flagged += other.flagged
        self.updated += other.updated
        return self


@lru_cache(maxsize=64)
def belgian_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def horizon_days() -> int:
    return getattr(settings, "PERMANENCES_HORIZON_DAYS", 120)


def schedule_dates(
    *,
    schedule: PermanenceSchedule,
    start: datetime.date,
    end: datetime.date,
    closures: Iterable[Closure] = (),
) -> Iterator[datetime.date]:
    """The dates the schedule holds a permanence between start and end (included)."""
    first = max(schedule.valid_from, start)
    last = min(schedule.valid_until or end, end)
    if first > last:
        return
    # Weeks are counted from the Monday of the week the schedule starts.
    anchor = schedule.valid_from - datetime.timedelta(days=schedule.valid_from.weekday())
    day = first + datetime.timedelta(days=(schedule.weekday - first.weekday()) % 7)
    closed = [(c.start_date, c.end_date) for c in closures]
    while day <= last:
        if (
            ((day - anchor).days // 7) % schedule.every_n_weeks == 0
            and day not in belgian_holidays(day.year)
            and not any(a <= day <= b for a, b in closed)
        ):
            yield day
        day += datetime.timedelta(days=7)


def slot_times(
    *, schedule: PermanenceSchedule, day: datetime.date
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Slot boundaries on one day, in Brussels time whatever the season."""
    length = datetime.timedelta(minutes=schedule.slot_minutes)
    start = datetime.datetime.combine(day, schedule.start_time, tzinfo=BRUSSELS)
    end = datetime.datetime.combine(day, schedule.end_time, tzinfo=BRUSSELS)
    times = []
    while start + length <= end:
        times.append((start, start + length))
        start += length
    return times


def closures_for(schedule: PermanenceSchedule) -> list[Closure]:
    return list(
        Closure.objects.filter(
            Q(incubator__isnull=True) | Q(incubator_id=schedule.incubator_id),
            Q(agency__isnull=True) | Q(agency_id=schedule.agency_id),
        )
    )


def _window(
    schedule: PermanenceSchedule, starts_at: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """When a slot can be booked, on Brussels clocks: a 09:00 slot opens at 09:00,
    `booking_opens_days` before, on either side of a daylight saving change, however the
    database handed its start back (in UTC)."""
    starts_at = starts_at.astimezone(BRUSSELS)
    return (
        starts_at - datetime.timedelta(days=schedule.booking_opens_days),
        starts_at - datetime.timedelta(hours=schedule.min_notice_hours),
    )


def _slots_existing(
    *, schedule: PermanenceSchedule, now: datetime.datetime
) -> dict[datetime.datetime, Slot]:
    """The schedule's future slots, locked until the generation commits."""
    return {
        slot.starts_at: slot
        for slot in Slot.objects.filter(schedule=schedule, starts_at__gt=now).select_for_update()
    }


# The columns a new slot gets from its schedule and times, in the order of `_slots_insert`'s
# rows; the others take their model default.
_NEW_SLOT_COLUMNS = (
    "schedule_id",
    "agency_id",
    "incubator_id",
    "starts_at",
    "ends_at",
    "bookable_from",
    "bookable_until",
    "capacity",
)


def _slots_insert(rows: list[tuple]) -> int:
    """Insert new slots, rows of `_NEW_SLOT_COLUMNS`, skipping any that a concurrent
    generation of the same schedule inserted first (same schedule and start: the unique
    constraint). Returns how many were really inserted.

    On PostgreSQL the plain tuples are COPYed into a temporary table, then moved into the
    slots with INSERT ... ON CONFLICT DO NOTHING: building `Slot` objects and
    `bulk_create`'s preparation of every value cost more than the database's own work, and
    COPY reads rows faster than a multi-row INSERT's parameters (issue 16: a year of slots
    for 160 schedules, 48,576 slots, went from 6-8 s to 2.5-3.5 s). Elsewhere (SQLite, in
    development and tests) `bulk_create`; the tests check both give the same rows.
    """
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _slots_insert_postgresql(rows)
    return _slots_insert_orm(rows)


def _slots_insert_orm(rows: list[tuple]) -> int:
    stored = Slot.objects.filter(schedule_id__in={row[0] for row in rows})
    before = stored.count()  # bulk_create does not say what a conflict skipped
    Slot.objects.bulk_create(
        (Slot(**dict(zip(_NEW_SLOT_COLUMNS, row, strict=True))) for row in rows),
        batch_size=1000,
        ignore_conflicts=True,
    )
    return stored.count() - before


def _slots_insert_postgresql(rows: list[tuple]) -> int:
    # COPY's text format: the str() of a number, and of an aware datetime (ISO 8601 with its
    # UTC offset, which PostgreSQL reads as that instant), tab-separated.
    line = "\t".join(["%s"] * len(_NEW_SLOT_COLUMNS)) + "\n"
    data = io.StringIO("".join(line % row for row in rows))
    # In a transaction, or the temporary table would be emptied after each statement.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_NEW_SLOTS_TABLE)
        cursor.copy_expert("COPY permanences_new_slot FROM STDIN", data)
        cursor.execute(_NEW_SLOTS_MOVE)
        return cursor.rowcount  # a row skipped by ON CONFLICT is not counted


# Private to the database session; emptied at each commit (and by the move below, for a
# second generation in the same transaction).
_NEW_SLOTS_TABLE = """
    CREATE TEMPORARY TABLE IF NOT EXISTS permanences_new_slot (
        schedule_id bigint, agency_id bigint, incubator_id bigint,
        starts_at timestamptz, ends_at timestamptz,
        bookable_from timestamptz, bookable_until timestamptz, capacity smallint
    ) ON COMMIT DELETE ROWS
"""
# The columns not copied take the model's defaults (a test compares both paths' rows).
_NEW_SLOTS_MOVE = """
    WITH moved AS (DELETE FROM permanences_new_slot RETURNING *)
    INSERT INTO permanences_slot (
        schedule_id, agency_id, incubator_id, starts_at, ends_at, bookable_from,
        bookable_until, capacity, booked_count, status, off_schedule, cancel_reason,
        cancelled_at
    )
    SELECT moved.*, 0, 'open', false, '', NULL FROM moved
    ON CONFLICT DO NOTHING
"""


@transaction.atomic
def slots_generate(
    *,
    schedule: PermanenceSchedule,
    now: datetime.datetime | None = None,
    days: int | None = None,
    closures: list[Closure] | None = None,
) -> GenerationResult:
    now = now or timezone.now()
    today = timezone.localtime(now, BRUSSELS).date()
    end = today + datetime.timedelta(days=days if days is not None else horizon_days())
    result = GenerationResult()

    wanted: dict[datetime.datetime, datetime.datetime] = {}
    if schedule.is_active:
        if closures is None:
            closures = closures_for(schedule)
        for day in schedule_dates(schedule=schedule, start=today, end=end, closures=closures):
            for starts_at, ends_at in slot_times(schedule=schedule, day=day):
                if starts_at > now:
                    wanted[starts_at] = ends_at

    existing = _slots_existing(schedule=schedule, now=now)

    to_delete, to_update = [], []
    for starts_at, slot in existing.items():
        if slot.status == Slot.Status.CANCELLED:
            continue  # cancelled on purpose: it stays cancelled
        matches = starts_at in wanted and wanted[starts_at] == slot.ends_at
        if not matches:
            if slot.booked_count == 0:
                to_delete.append(slot.pk)
            elif not slot.off_schedule:
                slot.off_schedule = True
                to_update.append(slot)
                result.flagged += 1
            continue
        bookable_from, bookable_until = _window(schedule, starts_at)
        capacity = max(schedule.capacity, slot.booked_count)
        off = schedule.capacity < slot.booked_count
        # A booked slot stays where it was booked; a free one follows its schedule.
        place = (
            (slot.agency_id, slot.incubator_id)
            if slot.booked_count
            else (schedule.agency_id, schedule.incubator_id)
        )
        if (
            slot.capacity != capacity
            or slot.off_schedule != off
            or slot.bookable_from != bookable_from
            or slot.bookable_until != bookable_until
            or (slot.agency_id, slot.incubator_id) != place
        ):
            if off and not slot.off_schedule:
                result.flagged += 1
            slot.capacity, slot.off_schedule = capacity, off
            slot.bookable_from, slot.bookable_until = bookable_from, bookable_until
            slot.agency_id, slot.incubator_id = place
            to_update.append(slot)
            result.updated += 1

    if to_delete:
        result.removed = Slot.objects.filter(pk__in=to_delete, booked_count=0).delete()[0]
    if to_update:
        Slot.objects.bulk_update(
            to_update,
            ["capacity", "off_schedule", "bookable_from", "bookable_until", "agency", "incubator"],
        )

    result.created = _slots_insert(
        [
            (
                schedule.pk,
                schedule.agency_id,
                schedule.incubator_id,
                starts_at,
                ends_at,
                *_window(schedule, starts_at),
                schedule.capacity,
            )
            for starts_at, ends_at in wanted.items()
            if starts_at not in existing
        ]
    )
    return result


def _closures_of(schedule: PermanenceSchedule, closures: list[Closure]) -> list[Closure]:
    return [
        c
        for c in closures
        if c.incubator_id in (None, schedule.incubator_id)
        and c.agency_id in (None, schedule.agency_id)
    ]


def slots_generate_all(
    *, now: datetime.datetime | None = None, days: int | None = None
) -> GenerationResult:
    total = GenerationResult()
    all_closures = list(Closure.objects.all())
    for schedule in PermanenceSchedule.objects.all():
        closures = _closures_of(schedule, all_closures)
        total += slots_generate(schedule=schedule, now=now, days=days, closures=closures)
    return total


Scope = tuple[int | None, int | None]


def slots_regenerate(
    *, scopes: Iterable[Scope], now: datetime.datetime | None = None
) -> GenerationResult:
    """Regenerate the slots of every schedule a closure touches, after it was added,
    changed or removed. Each scope is a closure's (incubator id, agency id), None meaning
    every one."""
    conditions = [
        Q(**{name: value for name, value in (("incubator_id", inc), ("agency_id", ag)) if value})
        for inc, ag in scopes
    ]
    schedules = PermanenceSchedule.objects.all()
    if all(conditions):  # an empty condition is a closure for everyone: keep them all
        schedules = schedules.filter(reduce(operator.or_, conditions, Q(pk__in=[])))
    all_closures = list(Closure.objects.all())
    total = GenerationResult()
    for schedule in schedules:
        total += slots_generate(
            schedule=schedule, now=now, closures=_closures_of(schedule, all_closures)
        )
    return total
