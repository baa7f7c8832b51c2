"""Landing's part of a person's data (accounts.personal_data): their intake, the steps of
their plan and which they ticked off, and the itineraries they booked. Erasure deletes
the plan (its needs and bookings are erased by needs and permanences)."""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import eraser, fields_of, retention, section

from .models import LandingPlan


@section("landing_plan", _("Landing plan"), order=75)
def landing_plan(user: User) -> list[dict[str, Any]]:
    plan = LandingPlan.objects.filter(user=user).first()
    if plan is None:
        return []
    row = fields_of(
        plan,
        "company_name",
        "country",
        "city",
        "sector",
        "stage",
        "team_size",
        "arrival_date",
        "about",
        "consent",
        "created_at",
        "last_progress_at",
    )
    row["country"] = plan.country.name
    row["steps"] = [
        {
            **fields_of(step, "code", "done_at"),
            "agencies": [a.short_name for a in step.agencies.all()],
            "need": step.need_id,
        }
        for step in plan.steps.prefetch_related("agencies")
    ]
    row["itineraries"] = [
        {
            **fields_of(itinerary, "week", "created_at"),
            "bookings": [item.booking_id for item in itinerary.items.all()],
        }
        for itinerary in plan.itineraries.prefetch_related("items")
    ]
    return [row]


@eraser
def erase(user: User) -> None:
    LandingPlan.objects.filter(user=user).delete()


@retention("landing_plans", _("Landing plans, once they have not moved for this long"))
def purge_plans(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = LandingPlan.objects.filter(last_progress_at__lt=before)
    if dry_run:
        return old.count()
    count = old.count()
    old.delete()
    return count
