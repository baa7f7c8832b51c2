"""What the coordinator's overview flags as stuck."""

import datetime

import pytest
from django.utils import timezone

from landing import services
from landing.models import LandingPlan
from landing.selectors import OverviewFilters, landing_overview
from needs.models import RoutedNeed
from needs.services import routed_need_acknowledge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _row(plan, **filters):
    return landing_overview(filters=OverviewFilters(**filters)).filter(pk=plan.pk).first()


def test_a_need_left_unacknowledged_past_the_agencys_time_is_stuck(founder, make_plan):
    plan = make_plan(founder, needs=["permits"])
    assert not _row(plan).stuck_need
    RoutedNeed.objects.filter(need__user=founder).update(
        ack_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert _row(plan).stuck_need
    assert _row(plan, stuck="need") is not None
    routed_need_acknowledge(routed=RoutedNeed.objects.get(need__user=founder), by=UserFactory())
    assert not _row(plan).stuck_need
    assert _row(plan, stuck="need") is None


def test_a_stuck_need_of_a_step_done_no_longer_counts(founder, make_plan):
    plan = make_plan(founder, needs=["permits"])
    RoutedNeed.objects.filter(need__user=founder).update(
        ack_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    services.step_set_done(step=plan.steps.get(), user=founder, done=True)
    assert not _row(plan).stuck_need


def test_no_meetings_booked_two_weeks_before_arrival_is_stuck(founder, make_plan):
    soon = make_plan(founder, arrival=timezone.localdate() + datetime.timedelta(days=10))
    later = make_plan(UserFactory(), arrival=timezone.localdate() + datetime.timedelta(days=40))
    assert _row(soon).stuck_itinerary and not _row(later).stuck_itinerary
    assert _row(soon, stuck="itinerary") is not None
    assert _row(later, stuck="itinerary") is None
    assert _row(soon, arrival="soon") is not None and _row(later, arrival="soon") is None


def test_no_progress_for_two_weeks_is_stuck_until_a_step_is_ticked(founder, make_plan):
    plan = make_plan(founder)
    LandingPlan.objects.filter(pk=plan.pk).update(
        last_progress_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert _row(plan).stuck_idle
    assert _row(plan, stuck="any") is not None
    services.step_set_done(step=plan.steps.first(), user=founder, done=True)
    assert not _row(plan).stuck_idle


def test_a_finished_plan_is_never_stuck(founder, make_plan):
    plan = make_plan(founder, arrival=timezone.localdate() + datetime.timedelta(days=3))
    for step in plan.steps.all():
        services.step_set_done(step=step, user=founder, done=True)
    LandingPlan.objects.filter(pk=plan.pk).update(
        last_progress_at=timezone.now() - datetime.timedelta(days=30)
    )
    row = _row(plan)
    assert (row.steps_done, row.steps_total) == (2, 2)
    assert not row.stuck_itinerary and not row.stuck_idle
    assert _row(plan, stuck="any") is None
