import datetime

import pytest

from permanences.generation import BRUSSELS
from permanences.models import Slot
from permanences.week import week_grid
from tests.factories import AdvisorFactory, IncubatorFactory, ScheduleFactory, SlotFactory

pytestmark = pytest.mark.django_db

# Brussels leaves summer time on Sunday 31 October 2027.
MONDAY = datetime.date(2027, 10, 25)
SUNDAY = datetime.date(2027, 10, 31)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def test_it_shows_the_monday_to_sunday_of_the_day_asked_with_its_neighbours():
    week = week_grid(day=datetime.date(2027, 10, 28))

    assert week.monday == MONDAY
    assert week.days == [MONDAY + datetime.timedelta(days=n) for n in range(7)]
    assert (week.previous_monday, week.next_monday) == (
        datetime.date(2027, 10, 18),
        datetime.date(2027, 11, 1),
    )
    assert week.rows == []


def test_it_puts_each_slot_in_its_brussels_day_across_the_clock_change():
    schedule = ScheduleFactory()
    first = SlotFactory(schedule=schedule, starts_at=_at(MONDAY, 0, 30))  # Sunday 22:30 UTC
    last = SlotFactory(schedule=schedule, starts_at=_at(SUNDAY, 23, 30))
    SlotFactory(schedule=schedule, starts_at=_at(SUNDAY + datetime.timedelta(days=1), 0, 30))
    SlotFactory(schedule=schedule, starts_at=_at(MONDAY - datetime.timedelta(days=1), 23, 30))

    [(incubator, cells)] = week_grid(day=MONDAY).rows

    assert incubator == schedule.incubator
    held = {cell.day: [run.starts_at for run in cell.runs] for cell in cells if cell.runs}
    assert held == {MONDAY: [first.starts_at], SUNDAY: [last.starts_at]}


def test_it_joins_consecutive_slots_and_flags_an_advisor_in_two_places():
    wednesday = MONDAY + datetime.timedelta(days=2)
    advisor = AdvisorFactory()
    north, south = IncubatorFactory(name="North hub"), IncubatorFactory(name="South hub")
    here = ScheduleFactory(agency=advisor.agency, incubator=north, advisors=[advisor])
    there = ScheduleFactory(agency=advisor.agency, incubator=south, advisors=[advisor])
    SlotFactory(schedule=here, starts_at=_at(wednesday, 10), booked_count=1)
    SlotFactory(schedule=here, starts_at=_at(wednesday, 10, 30))
    SlotFactory(schedule=here, starts_at=_at(wednesday, 11), status=Slot.Status.CANCELLED)
    SlotFactory(schedule=there, starts_at=_at(wednesday, 10, 30))
    closed = ScheduleFactory(incubator=IncubatorFactory(name="Closed hub", is_active=False))
    SlotFactory(schedule=closed, starts_at=_at(wednesday, 10))

    rows = week_grid(day=wednesday).rows

    assert [incubator.name for incubator, _cells in rows] == ["North hub", "South hub"]
    cell = rows[0][1][2]
    assert cell.day == wednesday and cell.conflict and cell.has_open
    held, cancelled = cell.runs
    assert (held.starts_at, held.ends_at) == (_at(wednesday, 10), _at(wednesday, 11))
    assert (held.booked, held.capacity, held.conflict) == (1, 2, True)
    assert (cancelled.cancelled, cancelled.conflict) == (True, False)
    assert not rows[0][1][3].runs
