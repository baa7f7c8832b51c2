"""The coordinator's week at a glance: every active place, one column a day, each cell the
permanences held there that day, consecutive slots of a schedule shown as one run, and
the collisions flagged. Reads only."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from common.dates import BRUSSELS, days_bounds
from incubators.models import Agency, Incubator

from .conflicts import week_conflicts
from .models import Slot


@dataclass
class Run:
    """Consecutive slots of one schedule on one day, shown as one line of the week."""

    schedule_id: int
    agency: Agency
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    booked: int
    capacity: int
    cancelled: bool
    conflict: bool


@dataclass
class Cell:
    day: datetime.date
    runs: list[Run] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        return any(run.conflict for run in self.runs)

    @property
    def has_open(self) -> bool:
        return any(not run.cancelled for run in self.runs)


@dataclass(frozen=True)
class WeekGrid:
    monday: datetime.date
    days: list[datetime.date]
    # One row per place, sorted by name: the incubator and its seven cells.
    rows: list[tuple[Incubator, list[Cell]]]

    @property
    def previous_monday(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next_monday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)


def _runs(slots: list[Slot], conflicts: set[int]) -> list[Run]:
    by_schedule: dict[int, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: s.starts_at):
        by_schedule.setdefault(slot.schedule_id, []).append(slot)
    runs: list[Run] = []
    for group in by_schedule.values():
        current = None
        for slot in group:
            cancelled = slot.status == Slot.Status.CANCELLED
            if current and current.cancelled == cancelled and current.ends_at == slot.starts_at:
                current.ends_at = slot.ends_at
                current.booked += slot.booked_count
                current.capacity += slot.capacity
                current.conflict = current.conflict or slot.pk in conflicts
                continue
            current = Run(
                schedule_id=slot.schedule_id,
                agency=slot.agency,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                booked=slot.booked_count,
                capacity=slot.capacity,
                cancelled=cancelled,
                conflict=slot.pk in conflicts,
            )
            runs.append(current)
    return runs


def week_grid(*, day: datetime.date) -> WeekGrid:
    """The week (Monday to Sunday, Brussels days) that holds `day`. A constant number of
    queries whatever the number of places."""
    monday = day - datetime.timedelta(days=day.weekday())
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    start, end = days_bounds(days[0], days[-1])
    slots = list(
        Slot.objects.filter(starts_at__gte=start, starts_at__lt=end, incubator__is_active=True)
        .select_related("agency", "incubator", "schedule")
        .prefetch_related("schedule__advisors")
        .order_by("starts_at", "pk")
    )
    conflicts = week_conflicts(slots=slots)
    incubators: dict[int, Incubator] = {}
    by_cell: dict[tuple[int, datetime.date], list[Slot]] = {}
    for slot in slots:
        incubators.setdefault(slot.incubator_id, slot.incubator)
        local_day = timezone.localtime(slot.starts_at, BRUSSELS).date()
        by_cell.setdefault((slot.incubator_id, local_day), []).append(slot)
    rows = [
        (
            incubator,
            [Cell(day, _runs(by_cell.get((incubator.pk, day), []), conflicts)) for day in days],
        )
        for incubator in sorted(incubators.values(), key=lambda i: str(i).casefold())
    ]
    return WeekGrid(monday=monday, days=days, rows=rows)
