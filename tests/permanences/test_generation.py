import datetime
from zoneinfo import ZoneInfo

import pytest

from permanences.generation import schedule_dates, slots_generate
from permanences.models import Closure, Slot

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def _at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=BRUSSELS)


def test_a_weekly_nine_oclock_stays_at_nine_across_both_daylight_saving_changes(make_schedule):
    # Mondays around the switches of 2027: summer time from 28 March, winter time from 31 October.
    schedule = make_schedule(
        weekday=0,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(9, 30),
        valid_from=datetime.date(2027, 3, 1),
    )
    slots_generate(schedule=schedule, now=_at(2027, 3, 1, 0), days=300)
    starts = list(Slot.objects.filter(schedule=schedule).values_list("starts_at", flat=True))
    local = [s.astimezone(BRUSSELS) for s in starts]
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    utc_hours = {s.astimezone(datetime.UTC).date(): s.astimezone(datetime.UTC).hour for s in starts}
    assert utc_hours[datetime.date(2027, 3, 22)] == 8  # winter: UTC+1
    assert utc_hours[datetime.date(2027, 4, 5)] == 7  # summer: UTC+2 (29 March is Easter Monday)
    assert utc_hours[datetime.date(2027, 10, 25)] == 7
    assert utc_hours[datetime.date(2027, 11, 8)] == 8


def test_belgian_public_holidays_and_closures_are_skipped(make_schedule):
    schedule = make_schedule(weekday=0, valid_from=datetime.date(2027, 3, 1))
    Closure.objects.create(
        incubator=schedule.incubator,
        start_date=datetime.date(2027, 4, 12),
        end_date=datetime.date(2027, 4, 18),
        reason="Spring break",
    )
    dates = list(
        schedule_dates(
            schedule=schedule,
            start=datetime.date(2027, 3, 1),
            end=datetime.date(2027, 4, 30),
            closures=Closure.objects.all(),
        )
    )
    assert datetime.date(2027, 3, 29) not in dates  # Easter Monday 2027
    assert datetime.date(2027, 4, 12) not in dates  # closure
    assert datetime.date(2027, 3, 22) in dates
    assert datetime.date(2027, 4, 19) in dates


def test_every_other_week_counts_from_the_first_week(make_schedule):
    schedule = make_schedule(weekday=2, every_n_weeks=2, valid_from=datetime.date(2027, 1, 4))
    dates = list(
        schedule_dates(
            schedule=schedule, start=datetime.date(2027, 1, 1), end=datetime.date(2027, 2, 10)
        )
    )
    assert dates == [
        datetime.date(2027, 1, 6),
        datetime.date(2027, 1, 20),
        datetime.date(2027, 2, 3),
    ]


def test_generating_twice_creates_nothing_the_second_time(make_schedule):
    schedule = make_schedule(weekday=1, valid_from=datetime.date(2027, 1, 1))
    first = slots_generate(schedule=schedule, now=_at(2027, 1, 1, 0), days=60)
    second = slots_generate(schedule=schedule, now=_at(2027, 1, 1, 0), days=60)
    assert first.created > 0
    assert (second.created, second.removed, second.flagged) == (0, 0, 0)
    assert Slot.objects.filter(schedule=schedule).count() == first.created


def test_changing_a_schedule_removes_free_slots_and_flags_booked_ones(
    make_slot, entrepreneur, book
):
    slot = make_slot(days=3)
    book(slot, entrepreneur)
    schedule = slot.schedule
    free_before = Slot.objects.filter(schedule=schedule, booked_count=0).count()
    schedule.start_time = datetime.time(14, 0)
    schedule.end_time = datetime.time(16, 0)
    schedule.save()
    result = slots_generate(schedule=schedule, days=4)
    slot.refresh_from_db()
    assert slot.off_schedule is True
    assert slot.bookings.get().status == "confirmed"
    assert result.removed == free_before
    assert result.flagged == 1
    assert Slot.objects.filter(schedule=schedule, starts_at__hour__gte=13).count() == 4


def test_an_inactive_schedule_keeps_no_free_future_slot(make_schedule):
    schedule = make_schedule(weekday=1, valid_from=datetime.date(2027, 1, 1))
    slots_generate(schedule=schedule, now=_at(2027, 1, 1, 0), days=30)
    schedule.is_active = False
    schedule.save()
    slots_generate(schedule=schedule, now=_at(2027, 1, 1, 0), days=30)
    assert not Slot.objects.filter(schedule=schedule).exists()


def test_the_nightly_task_extends_every_schedule(make_schedule):
    from permanences.tasks import generate_slots

    make_schedule(weekday=1)
    make_schedule(weekday=3)
    result = generate_slots()
    assert result["created"] > 0
    assert generate_slots()["created"] == 0


def test_free_slots_follow_a_schedule_moved_to_another_place_but_booked_ones_stay(
    make_slot, entrepreneur, book
):
    from tests.factories import IncubatorFactory

    slot = make_slot(days=3)
    booked = book(slot, entrepreneur).slot
    schedule = slot.schedule
    old_place = schedule.incubator
    schedule.incubator = IncubatorFactory()
    schedule.save()
    slots_generate(schedule=schedule, days=4)
    places = set(
        Slot.objects.filter(schedule=schedule, booked_count=0).values_list("incubator", flat=True)
    )
    booked.refresh_from_db()
    assert places == {schedule.incubator_id}
    assert booked.incubator_id == old_place.pk
