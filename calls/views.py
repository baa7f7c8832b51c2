"""The calls' pages: the public list and call page, an applicant's form (draft, submit,
withdraw) and their applications, an evaluator's assignments and scoring, the managers'
ranking, evaluators and decisions. Someone else's application, assignment or file is a
404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.privacy import personal_data_log
from common.csv import csv_response
from common.ratelimit import rate_limited
from common.uploads import private_file_response

from . import services
from .access import assignments_of, file_readable_by, is_evaluator, is_manager
from .forms import (
    ApplicationForm,
    AssignForm,
    CallFilterForm,
    ConflictForm,
    DecisionForm,
    InviteForm,
    ScoreForm,
)
from .models import Application, ApplicationFile, Assignment, Call, Evaluator
from .selectors import (
    applications_of,
    calls_evaluated_by,
    calls_managed_by,
    evaluator_progress,
    public_calls,
    ranking,
)


def _call(request: HttpRequest, slug: str) -> Call:
    call = get_object_or_404(Call.objects.select_related("agency"), slug=slug)
    if call.status != Call.Status.PUBLISHED and not is_manager(request.user, call):
        raise Http404
    return call


def _managed(request: HttpRequest, slug: str) -> Call:
    call = _call(request, slug)
    if not is_manager(request.user, call):
        raise Http404
    return call


# --- Public ----------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    form = CallFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    return render(
        request,
        "calls/call_list.html",
        {"form": form, "calls": public_calls(**filters), "now": timezone.now()},
    )


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    user = request.user
    application = (
        Application.objects.filter(call=call, applicant=user).first()
        if user.is_authenticated
        else None
    )
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "themes": list(call.themes.all()),
            "open": call.accepts_applications(),
            "application": application,
            "manager": is_manager(user, call),
            "evaluator": is_evaluator(user, call),
        },
    )


# --- Applicants ------------------------------------------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = applications_of(user=request.user)
    return render(request, "calls/my_applications.html", {"applications": applications})


@login_required
@rate_limited("application")
def application_edit(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    application = Application.objects.filter(call=call, applicant=request.user).first()
    form = ApplicationForm(
        request.POST or None, request.FILES or None, instance=application, user=request.user
    )
    closed_message = services.closed_message(call)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        submit = "submit" in request.POST
        try:
            services.application_save(
                call=call, user=request.user, files=data.pop("files"), submit=submit, **data
            )
        except services.CallRefused as refused:
            form.add_error(None, refused.message)
        else:
            if submit:
                messages.success(
                    request,
                    _("Your application is submitted. You can change it until the deadline."),
                )
            else:
                messages.success(request, _("Your draft is saved. Submit it before the deadline."))
            return redirect("calls:apply", slug=slug)
    if request.method == "POST" and closed_message and form.errors:
        # Late: say it once, at the top, whatever else the form says.
        form.errors.pop("__all__", None)
        form.add_error(None, closed_message)
    return render(
        request,
        "calls/application_form.html",
        {
            "call": call,
            "form": form,
            "application": application,
            "files": application.files.all() if application else [],
            "open": not closed_message,
            "closed_message": closed_message,
            "published": call.decisions_published_at is not None,
        },
        status=200,
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    application = get_object_or_404(Application, call=call, applicant=request.user)
    try:
        services.application_withdraw(application=application, user=request.user)
    except services.CallRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("calls:apply", slug=slug)


@login_required
@require_POST
def application_file_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(request, slug)
    file = get_object_or_404(
        ApplicationFile.objects.select_related("application__call"),
        pk=pk,
        application__call=call,
        application__applicant=request.user,
    )
    try:
        services.application_file_delete(file=file, user=request.user)
    except services.CallRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The attachment is removed."))
    return redirect("calls:apply", slug=slug)


@login_required
def application_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An attachment, for the applicant, the evaluators assigned without a conflict and
    the managers; anyone else gets a 404. Sent as an attachment, never shown inline."""
    call = _call(request, slug)
    file = get_object_or_404(
        ApplicationFile.objects.select_related("application__call"),
        pk=pk,
        application__call=call,
    )
    if not file_readable_by(request.user, file):
        raise Http404
    return private_file_response(file.file, download_name=file.name)


# --- Evaluators ------------------------------------------------------------------------------


@login_required
def evaluate(request: HttpRequest) -> HttpResponse:
    """The calls the person evaluates or manages (invitations sent to their address
    before they had an account are linked here)."""
    services.evaluator_invitations_claim(user=request.user)
    return render(
        request,
        "calls/evaluate.html",
        {
            "evaluated": calls_evaluated_by(request.user),
            "managed": calls_managed_by(request.user),
        },
    )


@login_required
def review(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    if not is_evaluator(request.user, call):
        raise Http404
    assignments = list(assignments_of(request.user, call).order_by("application__pk"))
    return render(
        request,
        "calls/review.html",
        {
            "call": call,
            "assignments": assignments,
            "done": sum(1 for a in assignments if a.scored_at or a.conflict),
        },
    )


@login_required
def score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(request, slug)
    assignment = get_object_or_404(assignments_of(request.user, call), pk=pk)
    application = assignment.application
    criteria = list(call.criteria.all())
    mine = {s.criterion_id: s.value for s in assignment.scores.all()}
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        score_max=call.score_max,
        initial={"comment": assignment.comment, **{f"criterion_{k}": v for k, v in mine.items()}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_submit(
                assignment=assignment,
                evaluator=request.user,
                values=form.values(),
                comment=form.cleaned_data["comment"],
            )
        except services.CallRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("calls:review", slug=slug)
    return render(
        request,
        "calls/score.html",
        {
            "call": call,
            "assignment": assignment,
            "application": application,
            "files": application.files.all() if not assignment.conflict else [],
            "form": form,
            "conflict_form": ConflictForm(),
            "published": call.decisions_published_at is not None,
        },
    )


@login_required
@require_POST
def conflict(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(request, slug)
    assignment = get_object_or_404(assignments_of(request.user, call), pk=pk)
    form = ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if request.POST.get("withdraw"):
            services.conflict_withdraw(assignment=assignment, evaluator=request.user)
            messages.success(request, _("Your conflict of interest is withdrawn: you can score."))
        else:
            services.conflict_declare(assignment=assignment, evaluator=request.user, reason=reason)
            messages.success(
                request,
                _("Your conflict of interest is recorded: you will not score this application."),
            )
    except services.CallRefused as refused:
        messages.error(request, refused.message)
    return redirect("calls:review", slug=slug)


# --- Managers --------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    call = _managed(request, slug)
    applications = call.applications.all()
    return render(
        request,
        "calls/manage.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "rows": ranking(call=call),
            "progress": evaluator_progress(call=call),
            "invite_form": InviteForm(),
            "assign_form": AssignForm(),
            "drafts": applications.filter(status=Application.Status.DRAFT).count(),
            "withdrawn": applications.filter(status=Application.Status.WITHDRAWN).count(),
            "closed": timezone.now() >= call.deadline,
        },
    )


@login_required
@require_POST
def manage_invite(request: HttpRequest, slug: str) -> HttpResponse:
    call = _managed(request, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid email address."))
        return redirect("calls:manage", slug=slug)
    try:
        evaluator = services.evaluator_invite(
            call=call, by=request.user, email=form.cleaned_data["email"]
        )
    except services.CallRefused as refused:
        messages.error(request, refused.message)
    else:
        if evaluator.user_id:
            messages.success(request, _("The evaluator is invited and told by email."))
        else:
            messages.success(
                request,
                _(
                    "Nobody has an account with this address yet: the invitation waits. Ask "
                    "the person to sign up with it, then open “My evaluations”."
                ),
            )
    return redirect("calls:manage", slug=slug)


@login_required
@require_POST
def manage_evaluator_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _managed(request, slug)
    evaluator = get_object_or_404(Evaluator, call=call, pk=pk)
    services.evaluator_remove(evaluator=evaluator, by=request.user)
    messages.success(request, _("The evaluator is removed."))
    return redirect("calls:manage", slug=slug)


@login_required
@require_POST
def manage_assign(request: HttpRequest, slug: str) -> HttpResponse:
    call = _managed(request, slug)
    form = AssignForm(request.POST)
    if form.is_valid():
        added = services.evaluators_assign(
            call=call, by=request.user, per_application=form.cleaned_data["per_application"]
        )
        messages.success(request, _("Assignments added: %(count)s.") % {"count": added})
    else:
        messages.error(request, _("Give a number of evaluators from 1 to 50, or none."))
    return redirect("calls:manage", slug=slug)


@login_required
def manage_application(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _managed(request, slug)
    application = get_object_or_404(
        call.applications.select_related("applicant", "company"),
        pk=pk,
        status=Application.Status.SUBMITTED,
    )
    published = call.decisions_published_at is not None
    form = DecisionForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(
                application=application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                feedback=form.cleaned_data["feedback"],
                shortlisted=form.cleaned_data["shortlisted"],
            )
        except services.CallRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The decision is saved (not sent before you publish)."))
            return redirect("calls:manage", slug=slug)
    assignments = (
        Assignment.objects.filter(application=application)
        .select_related("evaluator")
        .prefetch_related("scores__criterion")
    )
    return render(
        request,
        "calls/manage_application.html",
        {
            "call": call,
            "application": application,
            "files": application.files.all(),
            "assignments": assignments,
            "form": form,
            "published": published,
        },
    )


@login_required
@require_POST
def manage_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = _managed(request, slug)
    try:
        told = services.decisions_publish(call=call, by=request.user)
    except services.CallRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The decisions are published: %(count)s applicants will be told by email.")
            % {"count": told},
        )
    return redirect("calls:manage", slug=slug)


@login_required
def manage_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The ranking as a spreadsheet, for the managers' selection committee."""
    call = _managed(request, slug)
    criteria = list(call.criteria.all())
    header = [
        _("Rank"),
        _("Application"),
        _("Applicant"),
        _("Email"),
        _("Company"),
        _("Maturity (TRL)"),
        *[f"{c.name} ×{c.weight}" for c in criteria],
        _("Score"),
        _("Scores in"),
        _("Spread"),
        _("Conflicts of interest"),
        _("Shortlisted"),
        _("Decision"),
    ]
    rows = [
        [
            row.rank or "",
            row.application.project_title,
            str(row.application.applicant),
            row.application.applicant.email,
            row.application.company.name if row.application.company_id else "",
            row.application.trl,
            *["" if v is None else v for v in row.by_criterion],
            "" if row.score is None else row.score,
            f"{row.scores_count}/{row.assigned_count}",
            "" if row.spread is None else row.spread,
            row.conflicts_count,
            _("yes") if row.application.shortlisted else _("no"),
            row.application.get_decision_display(),
        ]
        for row in ranking(call=call)
    ]
    personal_data_log(kind="export", actor=request.user, what=f"call ranking CSV: {call.slug}")
    return csv_response(
        filename=f"hub-eu-call-{call.slug}-{timezone.localdate().isoformat()}.csv",
        header=header,
        rows=rows,
    )
