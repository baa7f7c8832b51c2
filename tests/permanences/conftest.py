import datetime

import pytest
from django.utils import timezone

from incubators.models import Language, Membership, NeedCategory
from permanences.generation import belgian_holidays, slots_generate
from permanences.models import PermanenceSchedule, Slot
from tests.factories import AgencyFactory, CompanyFactory, IncubatorFactory, UserFactory


@pytest.fixture
def make_schedule(reference_data):
    def make(**overrides) -> PermanenceSchedule:
        languages = overrides.pop("languages", ["fr", "en"])
        advisors = overrides.pop("advisors", [])
        data = {
            "agency": overrides.pop("agency", None) or AgencyFactory(),
            "incubator": overrides.pop("incubator", None) or IncubatorFactory(),
            "weekday": timezone.localdate().weekday(),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(12, 0),
            "slot_minutes": 30,
            "valid_from": timezone.localdate() - datetime.timedelta(days=7),
            "audience": PermanenceSchedule.Audience.REGISTERED,
            "booking_opens_days": 60,
            "min_notice_hours": 2,
            "cancel_notice_hours": 12,
            **overrides,
        }
        schedule = PermanenceSchedule.objects.create(**data)
        schedule.languages.set(Language.objects.filter(code__in=languages))
        schedule.advisors.set(advisors)
        return schedule

    return make


@pytest.fixture
def make_slot(make_schedule):
    """An open slot `days` from now at 10:00 Brussels time, materialised like the real ones."""

    def make(days: int = 3, **schedule_overrides) -> Slot:
        day = timezone.localdate() + datetime.timedelta(days=days)
        while day in belgian_holidays(day.year):  # no slot on a public holiday
            day += datetime.timedelta(days=1)
        schedule = make_schedule(weekday=day.weekday(), **schedule_overrides)
        slots_generate(schedule=schedule, days=(day - timezone.localdate()).days + 1)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        return Slot.objects.select_related("schedule").get(schedule=schedule, starts_at=starts)

    return make


@pytest.fixture
def category(reference_data):
    return NeedCategory.objects.get(slug="financing")


@pytest.fixture
def entrepreneur(db):
    return UserFactory(first_name="Sofia", language="fr")


@pytest.fixture
def book(category):
    from permanences import services

    def do(slot, user, **overrides):
        data = {
            "slot_id": slot.pk,
            "user": user,
            "category": category,
            "topic": "Prêt ou subside ?",
            "language": "fr",
            "consent_share_profile": True,
            **overrides,
        }
        return services.booking_create(**data)

    return do


def make_member(user, incubator):
    company = CompanyFactory()
    company.people.add(user)
    Membership.objects.create(
        company=company,
        incubator=incubator,
        start=timezone.localdate() - datetime.timedelta(days=30),
        status=Membership.Status.CONFIRMED,
    )
    return company
