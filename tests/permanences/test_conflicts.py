import datetime

import pytest
from django.utils import timezone

from permanences.conflicts import schedule_conflicts, week_conflicts
from permanences.generation import BRUSSELS, belgian_holidays
from permanences.models import PermanenceSchedule, Slot
from tests.factories import (
    AdvisorFactory,
    AgencyFactory,
    IncubatorFactory,
    ScheduleFactory,
    SlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = 2


def _this_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def _rule(**fields) -> PermanenceSchedule:
    """A schedule being drafted in a form: not saved yet."""
    data = {
        "weekday": WEDNESDAY,
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(13, 0),
        "valid_from": timezone.localdate(),
        **fields,
    }
    return PermanenceSchedule(**data)


def _advisor():
    return AdvisorFactory(user=UserFactory(first_name="Ana", last_name="Peeters"))


def test_it_finds_an_advisor_in_two_places_at_the_same_time(django_assert_num_queries):
    advisor = _advisor()
    there = ScheduleFactory(agency=advisor.agency, weekday=WEDNESDAY, advisors=[advisor])
    draft = _rule(agency=advisor.agency, incubator=IncubatorFactory())

    with django_assert_num_queries(2):  # the candidates, then their advisors
        conflicts = schedule_conflicts(schedule=draft, advisor_ids=[advisor.pk])

    [conflict] = conflicts
    assert conflict.other == there
    assert conflict.day.weekday() == WEDNESDAY
    assert conflict.day >= timezone.localdate()
    assert conflict.day not in belgian_holidays(conflict.day.year)
    assert "Ana Peeters" in conflict.reason
    assert "two places at once" in conflict.reason


def test_there_is_no_conflict_when_fortnightly_phases_never_meet():
    advisor = _advisor()
    monday = _this_monday()
    ScheduleFactory(
        agency=advisor.agency,
        weekday=WEDNESDAY,
        every_n_weeks=2,
        valid_from=monday,
        advisors=[advisor],
    )
    odd_weeks = _rule(
        agency=advisor.agency,
        incubator=IncubatorFactory(),
        every_n_weeks=2,
        valid_from=monday + datetime.timedelta(days=7),
    )
    even_weeks = _rule(
        agency=advisor.agency,
        incubator=IncubatorFactory(),
        every_n_weeks=2,
        valid_from=monday + datetime.timedelta(days=14),
    )

    assert schedule_conflicts(schedule=odd_weeks, advisor_ids=[advisor.pk]) == []
    assert len(schedule_conflicts(schedule=even_weeks, advisor_ids=[advisor.pk])) == 1


def test_there_is_no_conflict_when_times_merely_touch():
    advisor = _advisor()
    ScheduleFactory(
        agency=advisor.agency,
        weekday=WEDNESDAY,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 0),
        advisors=[advisor],
    )
    afterwards = _rule(
        agency=advisor.agency,
        incubator=IncubatorFactory(),
        start_time=datetime.time(12, 0),
        end_time=datetime.time(13, 0),
    )

    assert schedule_conflicts(schedule=afterwards, advisor_ids=[advisor.pk]) == []


def test_one_agency_cannot_hold_overlapping_permanences_at_one_place():
    agency = AgencyFactory(short_name="Impulse test")
    incubator = IncubatorFactory(name="Hub Nord")
    existing = ScheduleFactory(agency=agency, incubator=incubator, weekday=WEDNESDAY)

    same_place = _rule(agency=agency, incubator=incubator)
    elsewhere = _rule(agency=agency, incubator=IncubatorFactory())

    [conflict] = schedule_conflicts(schedule=same_place, advisor_ids=[])
    assert conflict.other == existing
    assert "Impulse test" in conflict.reason
    assert "Hub Nord" in conflict.reason
    assert schedule_conflicts(schedule=elsewhere, advisor_ids=[]) == []


def test_it_ignores_the_schedule_itself_inactive_ones_and_ones_that_have_ended():
    advisor = _advisor()
    mine = ScheduleFactory(agency=advisor.agency, weekday=WEDNESDAY, advisors=[advisor])
    ScheduleFactory(agency=advisor.agency, weekday=WEDNESDAY, advisors=[advisor], is_active=False)
    ScheduleFactory(
        agency=advisor.agency,
        weekday=WEDNESDAY,
        advisors=[advisor],
        valid_from=timezone.localdate() - datetime.timedelta(days=60),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )

    assert schedule_conflicts(schedule=mine, advisor_ids=[advisor.pk]) == []


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)


def _week_slots(*ids: int) -> list[Slot]:
    return list(Slot.objects.filter(pk__in=ids).prefetch_related("schedule__advisors"))


def test_the_week_flags_overlapping_slots_of_one_advisor_but_not_cancelled_ones():
    advisor = _advisor()
    day = _this_monday() + datetime.timedelta(days=7 + WEDNESDAY)
    here = SlotFactory(
        schedule=ScheduleFactory(agency=advisor.agency, advisors=[advisor]), starts_at=_at(day, 10)
    )
    there = SlotFactory(
        schedule=ScheduleFactory(agency=advisor.agency, advisors=[advisor]),
        starts_at=_at(day, 10, 15),
    )
    later = SlotFactory(
        schedule=ScheduleFactory(agency=advisor.agency, advisors=[advisor]),
        starts_at=_at(day, 10, 45),
    )
    cancelled = SlotFactory(
        schedule=ScheduleFactory(agency=advisor.agency, advisors=[advisor]),
        starts_at=_at(day, 10),
        status=Slot.Status.CANCELLED,
    )
    someone_else = SlotFactory(
        schedule=ScheduleFactory(agency=advisor.agency, advisors=[_advisor()]),
        starts_at=_at(day, 10),
    )

    slots = _week_slots(here.pk, there.pk, later.pk, cancelled.pk, someone_else.pk)

    assert week_conflicts(slots=slots) == {here.pk, there.pk}


def test_the_week_flags_two_schedules_of_one_agency_at_one_place():
    agency, incubator = AgencyFactory(), IncubatorFactory()
    day = _this_monday() + datetime.timedelta(days=7 + WEDNESDAY)
    first = SlotFactory(
        schedule=ScheduleFactory(agency=agency, incubator=incubator), starts_at=_at(day, 10)
    )
    second = SlotFactory(
        schedule=ScheduleFactory(agency=agency, incubator=incubator), starts_at=_at(day, 10)
    )
    next_of_first = SlotFactory(schedule=first.schedule, starts_at=_at(day, 10, 30))

    slots = _week_slots(first.pk, second.pk, next_of_first.pk)

    assert week_conflicts(slots=slots) == {first.pk, second.pk}
