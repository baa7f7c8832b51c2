import datetime

import pytest
from django.utils import timezone, translation

from landing import notices, services
from landing.models import LandingPlan
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _age(plan, days=3):
    LandingPlan.objects.filter(pk=plan.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_a_founder_arriving_soon_without_meetings_is_reminded_once(founder, make_plan):
    plan = make_plan(founder, arrival=timezone.localdate() + datetime.timedelta(days=10))
    _age(plan)
    assert notices.book_meetings_plan(now=timezone.now()) == 1
    assert notices.book_meetings_plan(now=timezone.now()) == 0  # once
    notice = Notification.objects.get(kind=notices.LANDING_BOOK_MEETINGS)
    assert notice.recipient == founder
    with translation.override("fr"):
        email = notices.book_meetings(notice)
    assert email.subject.startswith("Vous arrivez à Bruxelles le")


def test_no_reminder_far_from_arrival_or_just_after_the_plan(founder, make_plan):
    from tests.factories import UserFactory

    far = make_plan(founder, arrival=timezone.localdate() + datetime.timedelta(days=40))
    _age(far)
    make_plan(UserFactory(), arrival=timezone.localdate() + datetime.timedelta(days=5))
    assert notices.book_meetings_plan(now=timezone.now()) == 0


def test_the_reminder_is_dropped_once_the_meetings_are_booked(
    founder, make_plan, schedule, slot_at, place
):
    arrival = timezone.localdate() + datetime.timedelta(days=7)
    plan = make_plan(founder, needs=["permits"], arrival=arrival)
    _age(plan)
    notices.book_meetings_plan(now=timezone.now())
    notice = Notification.objects.get(kind=notices.LANDING_BOOK_MEETINGS)
    slot = slot_at(
        schedule("bie", place(), online=True), timezone.localdate() + datetime.timedelta(days=3), 10
    )
    services.itinerary_book(
        plan=plan,
        week=timezone.localdate() + datetime.timedelta(days=3),
        choices={slot.agency_id: slot.pk},
        consent_share_profile=True,
    )
    assert notices.book_meetings(notice) is None
