from demo.data import load_demo_data
from demo.landing import FOUNDER_EMAIL, load_landing
from landing.models import LandingPlan, Relay
from needs.models import RoutedNeed


def test_the_demo_founder_abroad_has_a_plan_with_steps_ticked_and_routed_needs(db, reference_data):
    load_demo_data()
    load_landing()
    plan = LandingPlan.objects.get(user__email=FOUNDER_EMAIL)
    assert plan.user.language == "en" and plan.country.code == "PT"
    assert plan.user.check_password("hub-demo-2026")
    assert plan.steps.count() == 6
    assert plan.steps.filter(done_at__isnull=False).count() == 2
    routed = RoutedNeed.objects.filter(need__user=plan.user)
    assert routed.filter(agency__slug="bie", status="acknowledged").exists()
    assert routed.filter(status="new").exists()
    assert Relay.objects.filter(kind="eu_relay").count() == 3
    assert Relay.objects.filter(kind="partner_region").count() == 5
    assert load_landing() == 0  # running it again changes nothing
    assert LandingPlan.objects.count() == 1
