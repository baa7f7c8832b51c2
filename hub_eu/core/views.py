import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache

from accounts.models import Role
from calls.selectors import applications_of, calls_evaluated_by, calls_managed_by
from edih.selectors import requests_for_user
from events.selectors import registrations_upcoming_for
from incubators.selectors import (
    company_join_requests_of,
    company_join_requests_to_decide,
    company_list_for_user,
)
from landing.selectors import plan_of
from needs.selectors import needs_for_user
from permanences.selectors import upcoming_bookings_for
from surveys.selectors import open_invitations_for

from .mailbox import mailbox_get, mailbox_list
from .tasks import HEARTBEAT_KEY


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My space: what the signed-in person has to do or see in every app, whatever
    their role. It draws on every app, so it lives here, above them."""
    user = request.user
    context = {
        "companies": company_list_for_user(user=user),
        "join_requests_waiting": company_join_requests_of(user=user, decided_limit=0),
        "join_requests_to_decide": company_join_requests_to_decide(user=user).count(),
    }
    if user.role == Role.INCUBATOR_MANAGER or user.is_coordinator:
        context["managed_incubators"] = user.managed_incubators.all()
    advisor = getattr(user, "advisor_profile", None)
    context["advisor"] = advisor
    context["surveys"] = open_invitations_for(user=user)
    context["registrations"] = registrations_upcoming_for(user=user)
    if user.role == Role.ENTREPRENEUR:
        context["bookings"] = upcoming_bookings_for(user=user, limit=3)
        # Open: some agency still works on it, or it is not shared yet.
        context["needs"] = [
            need
            for need in needs_for_user(user=user)[:20]
            if not need.consent or any(r.is_open for r in need.routings.all())
        ][:5]
        plan = context["landing_plan"] = plan_of(user=user)
        if plan is not None:
            steps = list(plan.steps.all())
            context["landing_steps_done"] = sum(1 for step in steps if step.done_at)
            context["landing_steps_total"] = len(steps)
        context["applications"] = list(applications_of(user=user).order_by("-id")[:5])
        context["test_requests"] = list(requests_for_user(user=user)[:5])
    # Evaluators may come from outside the agencies: any account can be named on a call.
    context["calls_to_evaluate"] = list(calls_evaluated_by(user)[:5])
    context["calls_managed"] = list(calls_managed_by(user)[:5])
    return render(request, "accounts/dashboard.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not raise
        checks["database"] = f"error: {exc}"
        healthy = False
    try:
        # The Redis cache answers from memory while Redis is down: ask Redis itself.
        if hasattr(cache, "ping"):
            cache.ping()
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error"
        last = cache.get(HEARTBEAT_KEY)
        beat_at = parse_datetime(last) if last else None
        checks["worker_heartbeat_age_seconds"] = (
            round((timezone.now() - beat_at).total_seconds()) if beat_at else None
        )
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc}"
        healthy = False
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)


def _debug_only() -> None:
    if not settings.DEBUG:
        raise Http404


def mailbox(request: HttpRequest) -> HttpResponse:
    _debug_only()
    return render(request, "core/mailbox.html", {"mails": mailbox_list()})


def mailbox_message(request: HttpRequest, key: str) -> HttpResponse:
    _debug_only()
    mail = mailbox_get(key=key)
    if mail is None:
        raise Http404
    return render(request, "core/mailbox_message.html", {"mail": mail})


# When the statement was prepared (and last reviewed): shown on the page.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 26)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the Web Accessibility Directive (2016/2102) asks of a
    public body's site."""
    return render(
        request,
        "core/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "prepared_on": ACCESSIBILITY_STATEMENT_DATE,
        },
    )


def blank(request: HttpRequest) -> HttpResponse:
    """Only the base template: `make bench` compares other pages' latency with it."""
    return render(request, "base.html")
