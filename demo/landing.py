"""A start-up landing in Brussels: Inês, a founder from Lisbon (English), has filled in
the intake before having a Belgian company; her plan has two steps ticked off, its needs
sit in the agencies' inboxes (BIE has acknowledged hers about permits), and she has not
booked her meetings yet, so the itinerary can be tried. Also the partner regions and
the Region's relays to the EU institutions."""

import datetime

from django.utils import timezone

from accounts.models import User
from landing.models import LandingPlan, Relay
from landing.reference_data import load_relays
from landing.services import plan_create, step_set_done
from needs.models import RoutedNeed
from needs.services import routed_need_acknowledge

from .directory import _sign_up

FOUNDER_EMAIL = "founder.abroad@demo.hub.brussels"
NEEDS = ["company", "permits", "space", "funding", "market", "eu_contacts"]
TICKED = ["company", "space"]
ARRIVAL_DAYS = 24


def load_landing() -> int:
    """Returns the number of rows created: the relays, the founder and her plan's steps."""
    created = load_relays(Relay=Relay)
    user, is_new = _sign_up(FOUNDER_EMAIL, "Inês", "Almeida", "en")
    created += int(is_new)
    if LandingPlan.objects.filter(user=user).exists():
        return created
    plan = plan_create(
        user=user,
        company_name="Atlântico Health",
        country="PT",
        city="Lisbon",
        sector="health",
        stage="early",
        team_size=6,
        arrival_date=timezone.localdate() + datetime.timedelta(days=ARRIVAL_DAYS),
        about=(
            "Remote monitoring for patients after heart surgery, used in two Lisbon "
            "hospitals. We want a Brussels office to reach EU health programmes and "
            "Belgian hospitals."
        ),
        needs=NEEDS,
        consent=True,
    )
    for step in plan.steps.filter(code__in=TICKED):
        step_set_done(step=step, user=user, done=True)
    bie_advisor = User.objects.filter(advisor_profile__agency__slug="bie").first()
    permits = RoutedNeed.objects.filter(
        need__landing_step__plan=plan, need__landing_step__code="permits", agency__slug="bie"
    ).first()
    if bie_advisor and permits:
        routed_need_acknowledge(
            routed=permits, by=bie_advisor, note="Thank you, we will call you next week."
        )
    return created + plan.steps.count()
