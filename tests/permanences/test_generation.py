import datetime
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from permanences import generation
from permanences.generation import schedule_dates, slots_generate
from permanences.models import Closure, Slot

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
# How new slots reach the database: bulk_create anywhere, COPY on PostgreSQL (its fast path).
INSERTS = {"bulk_create": generation._slots_insert_orm}
if connection.vendor == "postgresql":
    INSERTS["copy"] = generation._slots_insert_postgresql


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


@pytest.mark.parametrize("insert", INSERTS)
def test_each_way_of_inserting_stores_every_column_of_a_slot_as_expected(
    make_schedule, monkeypatch, insert
):
    monkeypatch.setattr(generation, "_slots_insert", INSERTS[insert])
    # Mondays on both sides of the switch to summer time (28 March 2027; 29 March is Easter
    # Monday), the window opening 14 days before on Brussels clocks.
    schedule = make_schedule(
        weekday=0,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        valid_from=datetime.date(2027, 3, 1),
        capacity=3,
        booking_opens_days=14,
        min_notice_hours=2,
    )
    result = slots_generate(schedule=schedule, now=_at(2027, 3, 20, 0), days=17)

    def expected(day, hour, minute):
        starts_at = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BRUSSELS)
        return {
            "schedule_id": schedule.pk,
            "agency_id": schedule.agency_id,
            "incubator_id": schedule.incubator_id,
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(minutes=30),
            "bookable_from": datetime.datetime.combine(
                day - datetime.timedelta(days=14), datetime.time(hour, minute), tzinfo=BRUSSELS
            ),
            "bookable_until": starts_at - datetime.timedelta(hours=2),
            "capacity": 3,
            "booked_count": 0,
            "status": "open",
            "off_schedule": False,
            "cancel_reason": "",
            "cancelled_at": None,
        }

    columns = [field.attname for field in Slot._meta.concrete_fields if not field.primary_key]
    stored = list(Slot.objects.filter(schedule=schedule).order_by("starts_at").values(*columns))
    assert stored == [
        expected(day, hour, minute)
        for day in (datetime.date(2027, 3, 22), datetime.date(2027, 4, 5))
        for hour, minute in ((9, 0), (9, 30))
    ]
    # Summer time: the 5 April slot opens at 09:00 on 22 March, which is 08:00 UTC, not 07:00.
    assert stored[2]["bookable_from"].astimezone(datetime.UTC).hour == 8
    assert result.created == 4


@pytest.mark.parametrize("insert", INSERTS)
def test_a_generation_that_missed_the_slots_a_concurrent_one_stored_reports_none_created(
    make_schedule, monkeypatch, insert
):
    monkeypatch.setattr(generation, "_slots_insert", INSERTS[insert])
    schedule = make_schedule(weekday=1, valid_from=datetime.date(2027, 1, 1))
    first = slots_generate(schedule=schedule, now=_at(2027, 1, 1, 0), days=60)
    # The second one read the slots before the first one committed them.
    monkeypatch.setattr(generation, "_slots_existing", lambda **kwargs: {})
    second = slots_generate(schedule=schedule, now=_at(2027, 1, 1, 0), days=60)
    assert first.created > 0
    assert second.created == 0
    assert Slot.objects.filter(schedule=schedule).count() == first.created


@pytest.mark.django_db(transaction=True)
def test_two_generations_of_a_schedule_at_once_store_each_slot_once(make_schedule):
    """The second generation starts while the first one holds its new slots uncommitted:
    on PostgreSQL it waits on them at its insert, on SQLite at its first write."""
    schedule = make_schedule(weekday=1, valid_from=datetime.date(2027, 1, 1))
    now = _at(2027, 1, 1, 0)
    first_inserted, first_may_commit = threading.Event(), threading.Event()
    results = {}

    def generate(name, hold):
        try:
            with transaction.atomic():
                results[name] = slots_generate(schedule=schedule, now=now, days=60)
                if hold:
                    first_inserted.set()
                    first_may_commit.wait(timeout=30)
        finally:
            first_inserted.set()
            connection.close()

    first = threading.Thread(target=generate, args=("first", True))
    first.start()
    first_inserted.wait(timeout=30)
    second = threading.Thread(target=generate, args=("second", False))
    second.start()
    _wait_until_waiting_on_a_lock(seconds=10)
    first_may_commit.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert results["first"].created > 0
    assert results["second"].created == 0
    assert Slot.objects.filter(schedule=schedule).count() == results["first"].created


def _wait_until_waiting_on_a_lock(*, seconds):
    """Until another session waits on a lock (PostgreSQL); SQLite cannot say: a pause."""
    if connection.vendor != "postgresql":
        time.sleep(0.5)
        return
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second generation never waited for the first one")


def test_regenerating_across_both_daylight_saving_changes_changes_nothing(make_schedule):
    # A booking window of 60 days: the slots of April open in winter time, those of
    # November in summer time.
    schedule = make_schedule(weekday=0, valid_from=datetime.date(2027, 3, 1), booking_opens_days=60)
    first = slots_generate(schedule=schedule, now=_at(2027, 3, 1, 0), days=300)
    again = slots_generate(schedule=schedule, now=_at(2027, 3, 1, 0), days=300)
    assert first.created > 0
    assert (again.created, again.removed, again.flagged, again.updated) == (0, 0, 0, 0)
