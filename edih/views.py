"""Test before invest: the public page presenting it (and, signed in, one's own
requests), the request form, a request's page with its outcome, and the pages where the
agency that holds a request records its outcome. Someone else's request is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import active_advisor_or_404, role_required
from accounts.models import Role
from common.ratelimit import rate_limited

from . import services
from .forms import OutcomeForm, TestRequestForm
from .models import TestRequest
from .selectors import edih_services, requests_for_agency, requests_for_user, routing_of


def index(request: HttpRequest) -> HttpResponse:
    mine = requests_for_user(user=request.user) if request.user.is_authenticated else []
    return render(request, "edih/index.html", {"services": edih_services(), "requests": mine})


@login_required
@rate_limited("landing")
def request_create(request: HttpRequest) -> HttpResponse:
    form = TestRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            test_request = services.test_request_create(user=request.user, **form.cleaned_data)
        except services.RequestRefused as exc:
            form.add_error(None, exc.message)
        else:
            agencies = ", ".join(
                r.agency.short_name for r in test_request.need.routings.select_related("agency")
            )
            if agencies:
                messages.success(
                    request,
                    _("Your request was sent to the advisers of: %(agencies)s.")
                    % {"agencies": agencies},
                )
            else:
                messages.info(
                    request, _("Your request is recorded; the coordinator will route it.")
                )
            return redirect(test_request)
    return render(request, "edih/request_form.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    test_request = get_object_or_404(requests_for_user(user=request.user), pk=pk)
    return render(request, "edih/request_detail.html", {"test_request": test_request})


# --- The agency that holds the request ------------------------------------------------------


@role_required(Role.ADVISOR)
def agency_list(request: HttpRequest) -> HttpResponse:
    agency = active_advisor_or_404(request).agency
    rows = [(item, routing_of(item, agency)) for item in requests_for_agency(agency=agency)[:200]]
    return render(request, "edih/agency_list.html", {"agency": agency, "rows": rows})


def _held(request: HttpRequest, pk: int) -> tuple[TestRequest, object]:
    agency = active_advisor_or_404(request).agency
    test_request = get_object_or_404(requests_for_agency(agency=agency), pk=pk)
    return test_request, agency


@role_required(Role.ADVISOR)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    test_request, agency = _held(request, pk)
    return render(
        request,
        "edih/agency_detail.html",
        {
            "test_request": test_request,
            "agency": agency,
            "routed": routing_of(test_request, agency),
            "form": OutcomeForm(),
        },
    )


@require_POST
@role_required(Role.ADVISOR)
def agency_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    test_request, agency = _held(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        routed = routing_of(test_request, agency)
        context = {"test_request": test_request, "agency": agency, "routed": routed, "form": form}
        return render(request, "edih/agency_detail.html", context, status=400)
    try:
        services.test_request_record_outcome(
            test_request=test_request, agency=agency, by=request.user, **form.cleaned_data
        )
    except services.RequestRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect("edih:agency_detail", pk=test_request.pk)
