"""Landing in Brussels: the public page and contacts, the founder's intake, plan and
itinerary, and the coordinator's overview. Another founder's plan or step is a 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import coordinator_required
from accounts.privacy import personal_data_log
from common.csv import csv_response
from common.ratelimit import rate_limited

from . import services
from .forms import IntakeForm, ItineraryForm, OverviewFilterForm, PlanUpdateForm
from .itinerary import propose
from .models import LandingPlan, LandingStep
from .selectors import (
    agencies_to_meet,
    held_meetings,
    itinerary_candidates,
    itinerary_items,
    landing_overview,
    monday_of,
    plan_of,
    relays_public,
    weeks_offered,
    who_helps,
)
from .steps import GUIDANCE


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "landing/home.html",
        {"rows": who_helps(), "plan": plan_of(user=request.user), **relays_public()},
    )


def contacts(request: HttpRequest) -> HttpResponse:
    return render(request, "landing/contacts.html", relays_public())


@login_required
@rate_limited("landing")
def intake(request: HttpRequest) -> HttpResponse:
    if LandingPlan.objects.filter(user=request.user).exists():
        return redirect("landing:plan")
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.plan_create(user=request.user, **data)
        except services.LandingRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your landing plan is ready."))
            return redirect("landing:plan")
    return render(request, "landing/intake.html", {"form": form})


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    landing_plan = plan_of(user=request.user)
    if landing_plan is None:
        return redirect("landing:intake")
    steps = list(landing_plan.steps.all())
    for step in steps:
        step.guidance = GUIDANCE.get(step.code, "")
    done = sum(1 for s in steps if s.done_at)
    return render(
        request,
        "landing/plan.html",
        {
            "plan": landing_plan,
            "steps": steps,
            "done": done,
            "percent": round(100 * done / len(steps)) if steps else 0,
            "meetings": list(itinerary_items(plan=landing_plan)),
            "to_meet": agencies_to_meet(plan=landing_plan),
            "now": timezone.now(),
        },
    )


@login_required
@rate_limited("landing")
def plan_edit(request: HttpRequest) -> HttpResponse:
    landing_plan = plan_of(user=request.user)
    if landing_plan is None:
        return redirect("landing:intake")
    form = PlanUpdateForm(request.POST or None, plan=landing_plan)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.plan_update(
                plan=landing_plan,
                user=request.user,
                arrival_date=form.cleaned_data["arrival_date"],
                add_needs=form.cleaned_data.get("add_needs", []),
            )
        except services.LandingRefused as exc:
            form.add_error(None, exc.message)
        else:
            if added:
                messages.success(request, _("Your plan is updated: its new steps are below."))
            else:
                messages.success(request, _("Your plan is updated."))
            return redirect("landing:plan")
    return render(request, "landing/plan_edit.html", {"plan": landing_plan, "form": form})


@login_required
@require_POST
def step_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(LandingStep, pk=pk, plan__user=request.user)
    done = request.POST.get("done") == "1"
    if services.step_set_done(step=step, user=request.user, done=done):
        if done:
            messages.success(
                request, _("“%(step)s” is ticked off.") % {"step": step.get_code_display()}
            )
        else:
            messages.info(
                request, _("“%(step)s” is open again.") % {"step": step.get_code_display()}
            )
    return redirect(reverse("landing:plan") + f"#step-{step.pk}")


def _week(value: str, weeks: list[datetime.date], default: datetime.date) -> datetime.date:
    try:
        week = monday_of(datetime.date.fromisoformat(value[:10]))
    except (TypeError, ValueError):
        return default
    return week if week in weeks else default


@login_required
@rate_limited("landing")
def itinerary(request: HttpRequest) -> HttpResponse:
    landing_plan = plan_of(user=request.user)
    if landing_plan is None:
        return redirect("landing:intake")
    now = timezone.now()
    weeks = weeks_offered(today=timezone.localdate(now))
    # Arriving on a Saturday or Sunday: the first week with on-site meetings is the next one.
    arrival_week = monday_of(landing_plan.arrival_date + datetime.timedelta(days=2))
    default = arrival_week if arrival_week in weeks else weeks[0]
    week = _week(request.POST.get("week") or request.GET.get("week", ""), weeks, default)
    agencies = agencies_to_meet(plan=landing_plan, now=now)
    by_week = itinerary_candidates(plan=landing_plan, weeks=weeks, now=now, agencies=agencies)
    candidates = by_week[week]
    proposal = propose(candidates, held=held_meetings(user=request.user, week=week))
    form = ItineraryForm(
        request.POST or None, agencies=agencies, candidates=candidates, proposal=proposal
    )
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            services.itinerary_book(
                plan=landing_plan,
                week=week,
                choices=form.choices(),
                consent_share_profile=form.cleaned_data["consent_share_profile"],
                note=form.cleaned_data["note"],
                now=now,
            )
        except services.LandingRefused as exc:
            error = exc.message
            status = 409 if exc.code == "taken" else 400
        else:
            messages.success(request, _("Your meetings are booked. A confirmation is on its way."))
            return redirect("landing:plan")
    elif request.method == "POST":
        status = 400
    week_options = [
        {
            "monday": w,
            "friday": w + datetime.timedelta(days=4),
            "available": sum(1 for options in by_week[w].values() if options),
        }
        for w in weeks
    ]
    # Agencies with no free time in any offered week: no other week helps, say so.
    unavailable = {a.pk for a in agencies if not any(by_week[w].get(a.pk) for w in weeks)}
    proposed = sorted((c for c in proposal.values() if c), key=lambda c: c.starts_at)
    return render(
        request,
        "landing/itinerary.html",
        {
            "plan": landing_plan,
            "week": week,
            "weeks": week_options,
            "agencies": agencies,
            "form": form,
            "proposed": proposed,
            "missing": [
                a for a in agencies if proposal.get(a.pk) is None and a.pk not in unavailable
            ],
            "unavailable": [a for a in agencies if a.pk in unavailable],
            "bookable": any(candidates.get(a.pk) for a in agencies),
            "abroad": landing_plan.arrival_date > week,
            "error": error,
            "meetings": list(itinerary_items(plan=landing_plan)),
        },
        status=status,
    )


# --- The coordinator -------------------------------------------------------------------


def _overview(request: HttpRequest):
    countries_used = LandingPlan.objects.order_by().values_list("country", flat=True).distinct()
    form = OverviewFilterForm(request.GET or None, countries_used=list(countries_used))
    return form, landing_overview(filters=form.filters())


def _stuck_labels(plan: LandingPlan) -> list[str]:
    labels = []
    if plan.stuck_need:
        labels.append(_("A need unanswered"))
    if plan.stuck_itinerary:
        labels.append(_("No meetings booked before arrival"))
    if plan.stuck_idle:
        labels.append(_("No progress for two weeks"))
    return labels


@coordinator_required
def overview(request: HttpRequest) -> HttpResponse:
    form, plans = _overview(request)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.stuck_labels = _stuck_labels(row)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "landing/overview.html",
        {"form": form, "page": page, "query": query.urlencode(), "total": plans.count()},
    )


@coordinator_required
def overview_csv(request: HttpRequest) -> HttpResponse:
    _form, plans = _overview(request)
    header = [
        _("Start-up"),
        _("Founder"),
        _("Email"),
        _("Country"),
        _("City"),
        _("Sector"),
        _("Stage"),
        _("Team size"),
        _("Arrival"),
        _("Steps done"),
        _("Steps"),
        _("Meetings booked"),
        _("Last progress"),
        _("Stuck"),
    ]
    rows = (
        [
            p.company_name,
            p.user.get_full_name(),
            p.user.email,
            p.country.name,
            p.city,
            p.get_sector_display(),
            p.get_stage_display(),
            p.team_size,
            p.arrival_date.isoformat(),
            p.steps_done,
            p.steps_total,
            _("yes") if p.booked else _("no"),
            timezone.localtime(p.last_progress_at).strftime("%Y-%m-%d %H:%M"),
            "; ".join(_stuck_labels(p)),
        ]
        for p in plans
    )
    personal_data_log(
        kind="export", actor=request.user, what=f"landing plans CSV: {request.GET.urlencode()}"
    )
    return csv_response(
        filename=f"hub-eu-landing-plans-{timezone.localdate().isoformat()}.csv",
        header=header,
        rows=rows,
    )
