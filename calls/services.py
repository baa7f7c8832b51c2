"""Writes on calls: applications (draft, submit before the deadline, withdraw),
evaluators (invite by address, assign, score or declare a conflict of interest) and the
managers' decisions, published once. Views, the admin and the demo call these."""

import datetime
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from common.uploads import delete_on_commit
from incubators.models import Company
from notifications.services import notification_record

from . import notices
from .access import is_manager
from .models import (
    Application,
    ApplicationFile,
    Assignment,
    Call,
    Criterion,
    Evaluator,
    Score,
)
from .uploads import MAX_FILES, check_upload


@dataclass
class CallRefused(Exception):
    """Something the person cannot do; `message` is for them."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _refuse(code: str, **values) -> CallRefused:
    messages = {
        "late": lambda: (
            _(
                "The deadline passed on %(when)s (Brussels time): applications can no "
                "longer be submitted, changed or withdrawn."
            )
            % values
        ),
        "not_open": lambda: _("This call is not open for applications yet."),
        "incomplete": lambda: _(
            "To submit, describe your team and your solution and give your maturity (TRL)."
        ),
        "company_applied": lambda: _(
            "Your company has already applied to this call: one application per company."
        ),
        "saved_elsewhere": lambda: _(
            "Your application was just saved from another window: reload the page."
        ),
        "not_your_company": lambda: _("You can only apply for a company you belong to."),
        "too_many_files": lambda: _("At most %(max)s attachments per application.") % values,
        "not_submitted": lambda: _("Only a submitted application can be withdrawn."),
        "not_decidable": lambda: _("Only a submitted application can get a decision."),
        "not_allowed": lambda: _("Only the call's managers can do this."),
        "published": lambda: _("The decisions are published: they can no longer change."),
        "conflict": lambda: _(
            "You declared a conflict of interest on this application: you cannot score it."
        ),
        "incomplete_scores": lambda: (
            _("Give a score from 0 to %(max)s for every criterion.") % values
        ),
        "no_criteria": lambda: _("This call has no evaluation criteria yet."),
        "not_closed": lambda: _("Decisions can be published once the deadline has passed."),
        "undecided": lambda: (
            _("%(count)s submitted applications have no decision yet: decide on each first.")
            % values
        ),
        "already_invited": lambda: _("This address is already invited to evaluate this call."),
    }
    return CallRefused(code, messages[code]())


def deadline_text(call: Call) -> str:
    return date_format(timezone.localtime(call.deadline), "j F Y, H:i")


def _check_open(call: Call, now: datetime.datetime) -> None:
    if now >= call.deadline:
        raise _refuse("late", when=deadline_text(call))
    if not call.accepts_applications(now):
        raise _refuse("not_open")


def closed_message(call: Call, now: datetime.datetime | None = None) -> str:
    """Why the form cannot be sent now, or "" when it can."""
    try:
        _check_open(call, now or timezone.now())
    except CallRefused as refused:
        return refused.message
    return ""


# --- Applications ------------------------------------------------------------------------


def application_save(
    *,
    call: Call,
    user: User,
    project_title: str,
    company: Company | None = None,
    team: str = "",
    solution: str = "",
    trl: int | None = None,
    references: str = "",
    files: list[UploadedFile] = (),
    submit: bool = False,
    now: datetime.datetime | None = None,
) -> Application:
    """Save the person's one application to `call` as a draft, or submit it (`submit`),
    until the deadline (server time). A submitted application may still be changed
    before the deadline; it stays submitted. The applicant is told when it is first
    submitted."""
    now = now or timezone.now()
    _check_open(call, now)
    if company is not None and not company.people.filter(pk=user.pk).exists():
        raise _refuse("not_your_company")
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as error:
            raise CallRefused("file", " ".join(error.messages)) from None
    if submit and not (team.strip() and solution.strip() and trl):
        raise _refuse("incomplete")
    fields = {
        "company": company,
        "project_title": project_title.strip(),
        "team": team,
        "solution": solution,
        "trl": trl,
        "references": references,
    }
    try:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update().filter(call=call, applicant=user).first()
            )
            if application is None:
                application = Application(call=call, applicant=user)
            first_submission = submit and application.submitted_at is None
            for name, value in fields.items():
                setattr(application, name, value)
            if application.status == Application.Status.WITHDRAWN:
                application.status = Application.Status.DRAFT
                application.withdrawn_at = None
            if submit:
                application.status = Application.Status.SUBMITTED
                application.submitted_at = application.submitted_at or now
            if application.status == Application.Status.SUBMITTED and not (
                application.team.strip() and application.solution.strip() and application.trl
            ):
                raise _refuse("incomplete")
            application.save()
            if application.files.count() + len(files) > MAX_FILES:
                raise _refuse("too_many_files", max=MAX_FILES)
            for upload in files:
                ApplicationFile.objects.create(
                    application=application,
                    file=upload,
                    name=PurePath(upload.name).name[:200],
                    size=upload.size,
                )
            if first_submission:
                notification_record(
                    kind=notices.APPLICATION_SUBMITTED,
                    recipient=user,
                    key=f"{notices.APPLICATION_SUBMITTED}:application:{application.pk}",
                    subject=application,
                )
    except IntegrityError:
        if company is not None and (
            Application.objects.filter(call=call, company=company).exclude(applicant=user).exists()
        ):
            raise _refuse("company_applied") from None
        raise _refuse("saved_elsewhere") from None
    return application


def application_withdraw(
    *, application: Application, user: User, now: datetime.datetime | None = None
) -> Application:
    """The applicant withdraws a submitted application before the deadline; it leaves
    the evaluators' lists and the ranking (it can be submitted again before the deadline)."""
    if application.applicant_id != user.pk:
        raise _refuse("not_allowed")
    now = now or timezone.now()
    _check_open(application.call, now)
    changed = Application.objects.filter(
        pk=application.pk, status=Application.Status.SUBMITTED
    ).update(status=Application.Status.WITHDRAWN, withdrawn_at=now, decision="", shortlisted=False)
    if not changed:
        raise _refuse("not_submitted")
    application.refresh_from_db()
    return application


def application_file_delete(
    *, file: ApplicationFile, user: User, now: datetime.datetime | None = None
) -> None:
    application = file.application
    if application.applicant_id != user.pk:
        raise _refuse("not_allowed")
    _check_open(application.call, now or timezone.now())
    # The stored file goes once the row's deletion commits: a rollback keeps both.
    delete_on_commit(file.file.storage, file.file.name)
    file.delete()


# --- Evaluators --------------------------------------------------------------------------


def _check_manager(user: User, call: Call) -> None:
    if not is_manager(user, call):
        raise _refuse("not_allowed")


def evaluator_invite(*, call: Call, by: User, email: str) -> Evaluator:
    """Invite the person with this address to evaluate the call. An account with the
    address is linked at once and told by email; otherwise the invitation waits until
    someone signs up and verifies that address (evaluator_invitations_claim)."""
    _check_manager(by, call)
    email = email.strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    try:
        with transaction.atomic():
            evaluator = Evaluator.objects.create(
                call=call, email=email.lower(), user=user, invited_by=by
            )
            if user is not None:
                _tell_evaluator(evaluator)
    except IntegrityError:
        raise _refuse("already_invited") from None
    return evaluator


def _tell_evaluator(evaluator: Evaluator) -> None:
    notification_record(
        kind=notices.EVALUATOR_INVITED,
        recipient=evaluator.user,
        key=f"{notices.EVALUATOR_INVITED}:evaluator:{evaluator.pk}",
        subject=evaluator,
    )


def evaluator_invitations_claim(*, user: User) -> int:
    """Link the invitations sent to the person's address before they had an account
    (an account's address is verified before it can sign in). Returns how many."""
    if not user.is_authenticated or not user.email:
        return 0
    claimed = 0
    for evaluator in Evaluator.objects.filter(email__iexact=user.email, user__isnull=True):
        try:
            with transaction.atomic():
                evaluator.user = user
                evaluator.save(update_fields=["user"])
        except IntegrityError:
            continue  # also invited under another address of theirs
        claimed += 1
    return claimed


def evaluator_remove(*, evaluator: Evaluator, by: User) -> None:
    """Take an evaluator off the call; their unscored assignments go, their scores stay."""
    _check_manager(by, evaluator.call)
    with transaction.atomic():
        if evaluator.user_id:
            Assignment.objects.filter(
                application__call=evaluator.call, evaluator_id=evaluator.user_id, scored_at=None
            ).delete()
        evaluator.delete()


def _least_loaded(call: Call, candidates: list[int]) -> list[int]:
    """Evaluator ids ordered by how many applications of the call they have (fewest
    first), then by id, so assignments spread evenly."""
    loads = dict(
        Assignment.objects.filter(application__call=call, evaluator_id__in=candidates)
        .values("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )
    return sorted(candidates, key=lambda pk: (loads.get(pk, 0), pk))


def evaluators_assign(*, call: Call, by: User, per_application: int | None = None) -> int:
    """Assign the call's evaluators to its submitted applications: every evaluator to
    every application (`per_application` None) or each application to that many
    evaluators, the least loaded first. Evaluators who declared a conflict on an
    application are not counted among its evaluators. Assignments already made stay.
    Returns how many were added."""
    _check_manager(by, call)
    evaluator_ids = list(
        call.evaluators.filter(user__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    applications = list(
        call.applications.filter(status=Application.Status.SUBMITTED).order_by("pk")
    )
    added = 0
    with transaction.atomic():
        for application in applications:
            assigned = dict(
                Assignment.objects.filter(application=application).values_list(
                    "evaluator_id", "conflict"
                )
            )
            wanted = len(evaluator_ids) if per_application is None else per_application
            missing = wanted - sum(1 for conflict in assigned.values() if not conflict)
            for evaluator_id in _least_loaded(
                call, [pk for pk in evaluator_ids if pk not in assigned]
            )[: max(0, missing)]:
                Assignment.objects.create(application=application, evaluator_id=evaluator_id)
                added += 1
    return added


def conflict_declare(
    *, assignment: Assignment, evaluator: User, reason: str = ""
) -> Assignment | None:
    """The evaluator declares a conflict of interest with an application assigned to
    them: their scores on it are removed (and never count), and the application goes to
    the call's least loaded evaluator not assigned to it yet, if any (returned)."""
    if assignment.evaluator_id != evaluator.pk:
        raise _refuse("not_allowed")
    call = assignment.application.call
    if call.decisions_published_at is not None:
        raise _refuse("published")
    with transaction.atomic():
        assignment.scores.all().delete()
        assignment.conflict, assignment.conflict_reason = True, reason[:300]
        assignment.scored_at = None
        assignment.save(update_fields=["conflict", "conflict_reason", "scored_at"])
        taken = set(
            Assignment.objects.filter(application=assignment.application).values_list(
                "evaluator_id", flat=True
            )
        )
        free = [
            pk
            for pk in call.evaluators.filter(user__isnull=False).values_list("user_id", flat=True)
            if pk not in taken
        ]
        if not free:
            return None
        return Assignment.objects.create(
            application=assignment.application, evaluator_id=_least_loaded(call, free)[0]
        )


def conflict_withdraw(*, assignment: Assignment, evaluator: User) -> Assignment:
    """The evaluator takes back a conflict declared by mistake."""
    if assignment.evaluator_id != evaluator.pk:
        raise _refuse("not_allowed")
    if assignment.application.call.decisions_published_at is not None:
        raise _refuse("published")
    assignment.conflict, assignment.conflict_reason = False, ""
    assignment.save(update_fields=["conflict", "conflict_reason"])
    return assignment


def scores_submit(
    *,
    assignment: Assignment,
    evaluator: User,
    values: dict[int, int],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Assignment:
    """An evaluator's scores (0 to the call's highest score for each criterion, by
    criterion id) and comment on an application assigned to them; they may change them
    until the decisions are published."""
    if assignment.evaluator_id != evaluator.pk:
        raise _refuse("not_allowed")
    call = assignment.application.call
    if call.decisions_published_at is not None:
        raise _refuse("published")
    if assignment.conflict:
        raise _refuse("conflict")
    criteria = list(Criterion.objects.filter(call=call))
    if not criteria:
        raise _refuse("no_criteria")
    if any(
        not isinstance(values.get(c.pk), int) or not 0 <= values[c.pk] <= call.score_max
        for c in criteria
    ):
        raise _refuse("incomplete_scores", max=call.score_max)
    with transaction.atomic():
        for criterion in criteria:
            Score.objects.update_or_create(
                assignment=assignment, criterion=criterion, defaults={"value": values[criterion.pk]}
            )
        assignment.comment = comment
        assignment.scored_at = now or timezone.now()
        assignment.save(update_fields=["comment", "scored_at"])
    return assignment


# --- Decisions -----------------------------------------------------------------------------


def application_decide(
    *,
    application: Application,
    by: User,
    decision: str,
    feedback: str = "",
    shortlisted: bool | None = None,
) -> Application:
    """The manager's decision (selected, waiting list, not selected, or "" for none yet)
    and feedback on a submitted application; nobody is told before the decisions are
    published."""
    call = application.call
    _check_manager(by, call)
    if call.decisions_published_at is not None:
        raise _refuse("published")
    if decision not in Application.Decision.values:
        raise ValueError(decision)
    changed = {"decision": decision, "feedback": feedback}
    if shortlisted is not None:
        changed["shortlisted"] = shortlisted
    updated = Application.objects.filter(
        pk=application.pk, status=Application.Status.SUBMITTED, call__decisions_published_at=None
    ).update(**changed)
    if not updated:
        raise _refuse("not_decidable")
    application.refresh_from_db()
    return application


def application_shortlist(*, application: Application, by: User, shortlisted: bool) -> None:
    _check_manager(by, application.call)
    Application.objects.filter(pk=application.pk, status=Application.Status.SUBMITTED).update(
        shortlisted=shortlisted
    )


def decisions_publish(*, call: Call, by: User, now: datetime.datetime | None = None) -> int:
    """Publish the decisions once the deadline has passed and every submitted application
    has one: each applicant is told (in their language, with the feedback), once.
    Returns the notices recorded."""
    _check_manager(by, call)
    now = now or timezone.now()
    if now < call.deadline:
        raise _refuse("not_closed")
    with transaction.atomic():
        undecided = call.applications.filter(
            status=Application.Status.SUBMITTED, decision=""
        ).count()
        if undecided:
            raise _refuse("undecided", count=undecided)
        published = Call.objects.filter(pk=call.pk, decisions_published_at__isnull=True).update(
            decisions_published_at=now
        )
        if not published:
            raise _refuse("published")
        call.decisions_published_at = now
        recorded = 0
        for application in call.applications.filter(
            ~Q(decision=""), status=Application.Status.SUBMITTED
        ).select_related("applicant"):
            recorded += (
                notification_record(
                    kind=notices.DECISION,
                    recipient=application.applicant,
                    key=f"{notices.DECISION}:application:{application.pk}",
                    subject=application,
                )
                is not None
            )
    return recorded
