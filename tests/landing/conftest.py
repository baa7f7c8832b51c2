import datetime

import pytest
from django.utils import timezone

from incubators.models import Agency, Language
from landing import services
from landing.selectors import monday_of
from permanences.models import PermanenceSchedule, Slot
from tests.factories import IncubatorFactory, UserFactory

# Two places 4.6 km apart (Tour & Taxis and the European quarter).
NORTH = {"latitude": "50.866000", "longitude": "4.347000"}
EAST = {"latitude": "50.842000", "longitude": "4.403000"}


@pytest.fixture
def week():
    """The Monday of the week three weeks from now."""
    return monday_of(timezone.localdate() + datetime.timedelta(days=21))


@pytest.fixture
def founder(db):
    return UserFactory(first_name="Ana", last_name="Costa", language="en")


@pytest.fixture
def make_plan(routing_rules):
    def make(user, *, needs=("permits", "recruitment"), arrival=None, consent=True, **extra):
        data = {
            "company_name": "Lisboa Robotics",
            "country": "PT",
            "city": "Lisbon",
            "sector": "ict",
            "stage": "early",
            "team_size": 4,
            "arrival_date": arrival or timezone.localdate() + datetime.timedelta(days=60),
            "about": "Warehouse robots.",
            **extra,
        }
        return services.plan_create(user=user, needs=list(needs), consent=consent, **data)

    return make


@pytest.fixture
def place():
    def make(**coordinates):
        return IncubatorFactory(**coordinates)

    return make


@pytest.fixture
def schedule(reference_data):
    """A schedule of the agency `slug` (weekday ignored: slots are made by `slot_at`)."""

    def make(slug, incubator, *, online=False, audience="registered", languages=("en", "fr")):
        s = PermanenceSchedule.objects.create(
            agency=Agency.objects.get(slug=slug),
            incubator=incubator,
            weekday=0,
            start_time=datetime.time(9),
            end_time=datetime.time(17),
            slot_minutes=30,
            valid_from=timezone.localdate(),
            mode="online" if online else "on_site",
            meeting_url="https://meet.example.org/x" if online else "",
            audience=audience,
            booking_opens_days=60,
        )
        s.languages.set(Language.objects.filter(code__in=languages))
        return s

    return make


@pytest.fixture
def slot_at():
    def make(schedule, day: datetime.date, hour: int, minute: int = 0, minutes: int = 30):
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return Slot.objects.create(
            schedule=schedule,
            agency=schedule.agency,
            incubator=schedule.incubator,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=minutes),
            bookable_from=starts - datetime.timedelta(days=60),
            bookable_until=starts - datetime.timedelta(hours=2),
            capacity=schedule.capacity,
        )

    return make
