from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from common.ratelimit import rate_limited

from . import services
from .forms import CompanyForm, CompanyJoinForm, IncubatorFilterForm, MembershipRequestForm
from .models import CompanyJoinRequest, Consent, Incubator, Membership
from .selectors import (
    agency_list_public,
    company_join_requests_for_decider,
    company_join_requests_of,
    company_join_requests_to_decide,
    incubator_list_public,
    incubator_members,
)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "incubators/home.html",
        {
            "agencies": agency_list_public(),
            "incubator_count": Incubator.objects.filter(is_active=True).count(),
        },
    )


def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "incubators/agency_list.html", {"agencies": agency_list_public()})


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(agency_list_public(), slug=slug)
    return render(request, "incubators/agency_detail.html", {"agency": agency})


def incubator_list(request: HttpRequest) -> HttpResponse:
    form = IncubatorFilterForm(request.GET or None)
    filters = {"commune": "", "kind": "", "language": "", "q": ""}
    if form.is_valid():
        data = form.cleaned_data
        filters.update(
            commune=data["commune"],
            kind=data["kind"],
            language=data["language"].code if data["language"] else "",
            q=data["q"],
        )
    incubators = incubator_list_public(**filters)
    template = (
        "incubators/_incubator_results.html" if request.htmx else "incubators/incubator_list.html"
    )
    return render(request, template, {"form": form, "incubators": incubators})


def incubator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incubator = get_object_or_404(
        Incubator.objects.filter(is_active=True).prefetch_related("languages"), slug=slug
    )
    return render(
        request,
        "incubators/incubator_detail.html",
        {"incubator": incubator},
    )


# --- Entrepreneur onboarding ------------------------------------------------------------


@login_required
@rate_limited("request")
def onboarding(request: HttpRequest) -> HttpResponse:
    """Create or join a company, then ask for membership of an incubator."""
    create_form = CompanyForm(prefix="create")
    join_form = CompanyJoinForm(prefix="join")
    if request.method == "POST" and "join-enterprise_number" in request.POST:
        join_form = CompanyJoinForm(request.POST, prefix="join")
        if join_form.is_valid():
            try:
                join_request = services.company_join(
                    user=request.user, company=join_form.cleaned_data["enterprise_number"]
                )
            except services.CompanyJoinError as exc:
                join_form.add_error("enterprise_number", str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Your request to join %(company)s is sent. A colleague already "
                        "listed there, its incubator or the coordinator will approve it."
                    )
                    % {"company": join_request.company.name},
                )
                return redirect("incubators:join_requests")
    elif request.method == "POST":
        create_form = CompanyForm(request.POST, prefix="create")
        if create_form.is_valid():
            company = services.company_create(user=request.user, **create_form.cleaned_data)
            messages.success(request, _("%(company)s is registered.") % {"company": company})
            return redirect("incubators:membership_request")
    return render(
        request,
        "incubators/onboarding.html",
        {
            "create_form": create_form,
            "join_form": join_form,
            "waiting": [
                r
                for r in company_join_requests_of(user=request.user)
                if r.status == CompanyJoinRequest.Status.PENDING
            ],
        },
    )


@login_required
@rate_limited("request")
def membership_request(request: HttpRequest) -> HttpResponse:
    if not request.user.companies.exists():
        return redirect("incubators:onboarding")
    form = MembershipRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(requested_by=request.user, **form.cleaned_data)
        except services.MembershipError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your request was sent to %(incubator)s. You will see here when it is confirmed.")
                % {"incubator": form.cleaned_data["incubator"]},
            )
            return redirect("dashboard")
    return render(request, "incubators/membership_request.html", {"form": form})


# --- Requests to join a company --------------------------------------------------------


@login_required
def join_requests(request: HttpRequest) -> HttpResponse:
    """The person's own requests to join a company, and those waiting for their decision."""
    return render(
        request,
        "incubators/join_requests.html",
        {
            "mine": company_join_requests_of(user=request.user),
            "to_decide": company_join_requests_to_decide(user=request.user),
        },
    )


@require_POST
@login_required
def join_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(company_join_requests_for_decider(user=request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    decide = services.company_join_approve if approve else services.company_join_refuse
    try:
        decide(join_request=join_request, decided_by=request.user)
    except services.CompanyJoinError as exc:
        messages.warning(request, str(exc))
    else:
        names = {"person": join_request.user, "company": join_request.company.name}
        if approve:
            message = _("%(person)s is now listed at %(company)s.") % names
        else:
            message = _("The request of %(person)s to join %(company)s is refused.") % names
        messages.success(request, message)
    return redirect("incubators:join_requests")


@require_POST
@login_required
def join_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(
        CompanyJoinRequest.objects.select_related("company"), pk=pk, user=request.user
    )
    try:
        services.company_join_withdraw(join_request=join_request, user=request.user)
    except services.CompanyJoinError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(
            request,
            _("Your request to join %(company)s is withdrawn.")
            % {"company": join_request.company.name},
        )
    return redirect("incubators:join_requests")


# --- Incubator manager -----------------------------------------------------------------------


def _managed_incubators(user):
    if user.is_coordinator:
        return Incubator.objects.all()
    return user.managed_incubators.all()


@role_required(Role.INCUBATOR_MANAGER)
def manager_members(request: HttpRequest, slug: str) -> HttpResponse:
    incubator = get_object_or_404(_managed_incubators(request.user), slug=slug)
    memberships = incubator_members(incubator=incubator)
    counts = memberships.aggregate(
        pending=Count("pk", filter=Q(status=Membership.Status.PENDING)),
        confirmed=Count("pk", filter=Q(status=Membership.Status.CONFIRMED)),
    )
    join_requests_waiting = (
        company_join_requests_to_decide(user=request.user)
        .filter(company__memberships__incubator=incubator)
        .distinct()
        .count()
    )
    return render(
        request,
        "incubators/manager_members.html",
        {
            "incubator": incubator,
            "memberships": memberships,
            "counts": counts,
            "join_requests_waiting": join_requests_waiting,
        },
    )


@require_POST
@role_required(Role.INCUBATOR_MANAGER)
def manager_membership_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("company", "incubator"),
        pk=pk,
        incubator__in=_managed_incubators(request.user),
    )
    decide = (
        services.membership_confirm
        if request.POST.get("decision") == "confirm"
        else services.membership_reject
    )
    try:
        decide(membership=membership, decided_by=request.user)
    except services.MembershipError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(
            request,
            _("%(company)s: %(status)s.")
            % {"company": membership.company, "status": membership.get_status_display()},
        )
    return redirect("incubators:manager_members", slug=membership.incubator.slug)


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    """The person's consents: which agency sees what since when, and a way to withdraw."""
    mine = Consent.objects.filter(user=request.user).select_related("agency")
    return render(
        request,
        "incubators/consents.html",
        {
            "active": [c for c in mine if c.is_active],
            "ended": [c for c in mine if not c.is_active],
        },
    )


@require_POST
@login_required
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent, pk=pk, user=request.user)
    if services.consent_withdraw(consent=consent, by=request.user):
        messages.success(
            request,
            _("Consent withdrawn: %(agency)s no longer sees this data.")
            % {"agency": consent.agency.short_name},
        )
    return redirect("incubators:consents")
