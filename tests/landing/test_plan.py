import datetime

import pytest
from django.utils import timezone, translation

from landing import notices, services
from landing.models import LandingPlan
from needs.models import RoutedNeed, RoutingRule
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _agencies(step) -> set[str]:
    return {a.slug for a in step.agencies.all()}


def test_it_makes_one_step_per_need_with_the_agencies_the_routing_names(founder, make_plan):
    plan = make_plan(founder, needs=["recruitment", "permits", "space"])
    steps = list(plan.steps.order_by("order"))
    # In the catalogue's order, whatever the order ticked.
    assert [s.code for s in steps] == ["permits", "space", "recruitment"]
    assert _agencies(steps[0]) == {"bie"}
    assert _agencies(steps[1]) == {"atrium"}
    assert _agencies(steps[2]) == {"impulse"}


def test_each_need_reaches_the_inbox_of_the_agencies_that_help(founder, make_plan):
    from incubators.models import Agency
    from tests.factories import AdvisorFactory

    advisor = AdvisorFactory(agency=Agency.objects.get(slug="bie"))
    plan = make_plan(founder, needs=["permits"])
    step = plan.steps.get()
    routed = RoutedNeed.objects.get(need=step.need)
    assert routed.agency.slug == "bie"
    assert routed.status == "new"
    assert "Landing in Brussels" in step.need.description
    assert "Lisboa Robotics" in step.need.description
    assert Notification.objects.filter(kind="need_routed", recipient=advisor.user).exists()


def test_the_steps_follow_the_coordinators_routing_rules(founder, make_plan):
    from incubators.models import Agency

    rule = RoutingRule.objects.get(category__slug="landing")
    rule.agencies.set(Agency.objects.filter(slug__in=["bie", "innoviris"]))
    plan = make_plan(founder, needs=["permits"])
    assert _agencies(plan.steps.get()) == {"bie", "innoviris"}


def test_without_consent_nothing_is_routed_but_the_plan_names_the_agencies(founder, make_plan):
    plan = make_plan(founder, needs=["permits", "funding"], consent=False)
    assert not RoutedNeed.objects.filter(need__user=founder).exists()
    assert all(step.need is None for step in plan.steps.all())
    assert _agencies(plan.steps.get(code="funding")) == {"impulse", "atrium"}


def test_the_founder_gets_the_plan_summary_in_their_language(make_plan):
    founder = UserFactory(language="fr")
    plan = make_plan(founder, needs=["permits"])
    notice = Notification.objects.get(kind=notices.LANDING_PLAN_CREATED)
    assert notice.recipient == founder and notice.subject == plan
    with translation.override("fr"):
        email = notices.plan_created(notice)
    assert email.subject == "Votre plan d'installation à Bruxelles"
    assert any("BIE" in line for line in email.lines)


def test_a_second_plan_is_refused(founder, make_plan):
    make_plan(founder)
    with pytest.raises(services.LandingRefused):
        make_plan(founder)
    assert LandingPlan.objects.filter(user=founder).count() == 1


def test_a_plan_needs_at_least_one_need(founder, make_plan):
    with pytest.raises(services.LandingRefused):
        make_plan(founder, needs=[])
    assert not LandingPlan.objects.exists()


def test_ticking_a_step_off_and_back_moves_the_progress(founder, make_plan):
    plan = make_plan(founder)
    step = plan.steps.first()
    later = timezone.now() + datetime.timedelta(hours=1)
    assert services.step_set_done(step=step, user=founder, done=True, now=later)
    assert step.done_at == later
    plan.refresh_from_db()
    assert plan.last_progress_at == later
    assert not services.step_set_done(step=step, user=founder, done=True)  # already done
    assert services.step_set_done(step=step, user=founder, done=False)
    assert step.done_at is None


def test_someone_else_cannot_tick_a_step(founder, make_plan):
    step = make_plan(founder).steps.first()
    assert not services.step_set_done(step=step, user=UserFactory(), done=True)
    step.refresh_from_db()
    assert step.done_at is None
