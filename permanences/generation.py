"""Materialising slots from weekly schedules, over a rolling horizon.

Idempotent: running it twice creates nothing the second time. When a schedule changes,
future free slots that no longer match are removed, and booked ones are kept and
flagged `off_schedule` for the coordinator to settle: a booking is never dropped.
"""

import datetime
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, reduce

import holidays
from django.conf import settings
from django.db import transaction
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


def _window(schedule: PermanenceSchedule, starts_at: datetime.datetime) -> dict:
    return {
        "bookable_from": starts_at - datetime.timedelta(days=schedule.booking_opens_days),
        "bookable_until": starts_at - datetime.timedelta(hours=schedule.min_notice_hours),
    }


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

    existing = {
        slot.starts_at: slot
        for slot in Slot.objects.filter(schedule=schedule, starts_at__gt=now).select_for_update()
    }

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
        window = _window(schedule, starts_at)
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
            or slot.bookable_from != window["bookable_from"]
            or slot.bookable_until != window["bookable_until"]
            or (slot.agency_id, slot.incubator_id) != place
        ):
            if off and not slot.off_schedule:
                result.flagged += 1
            slot.capacity, slot.off_schedule = capacity, off
            slot.bookable_from, slot.bookable_until = (
                window["bookable_from"],
                window["bookable_until"],
            )
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

    new = [
        Slot(
            schedule=schedule,
            agency_id=schedule.agency_id,
            incubator_id=schedule.incubator_id,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=schedule.capacity,
            **_window(schedule, starts_at),
        )
        for starts_at, ends_at in wanted.items()
        if starts_at not in existing
    ]
    Slot.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    result.created = len(new)
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
