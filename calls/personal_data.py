"""Calls' part of a person's data (accounts.personal_data): their applications (with
the decision and feedback once published) and, for evaluators, their invitations,
scores and comments. Erasure deletes their drafts and withdrawn applications with their
attachments; a submitted application keeps its title, scores and decision (the call's
results rest on it) but loses its texts and attachments."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED_TEXT, eraser, fields_of, section

from .models import Application, ApplicationFile, Assignment, Evaluator


@section("call_applications", _("Experimentation call applications"), order=73)
def applications(user: User) -> list[dict[str, Any]]:
    rows = []
    for application in Application.objects.filter(applicant=user).select_related("call", "company"):
        row = fields_of(
            application,
            "call",
            "company",
            "project_title",
            "team",
            "solution",
            "trl",
            "references",
            "status",
            "created_at",
            "submitted_at",
            "withdrawn_at",
        )
        if application.call.decisions_published_at is not None:
            row.update(fields_of(application, "decision", "feedback"))
        row["files"] = [f.name for f in application.files.all()]
        rows.append(row)
    return rows


@section("call_evaluations", _("Experimentation call evaluations"), order=74)
def evaluations(user: User) -> list[dict[str, Any]]:
    rows = [
        fields_of(evaluator, "call", "email", "invited_at")
        for evaluator in Evaluator.objects.filter(user=user).select_related("call")
    ]
    rows += [
        {
            **fields_of(
                assignment, "application", "conflict", "conflict_reason", "comment", "scored_at"
            ),
            "scores": {str(s.criterion.name): s.value for s in assignment.scores.all()},
        }
        for assignment in Assignment.objects.filter(evaluator=user)
        .select_related("application")
        .prefetch_related("scores__criterion")
    ]
    return rows


@eraser
def erase(user: User) -> None:
    mine = Application.objects.filter(applicant=user)
    for file in ApplicationFile.objects.filter(application__in=mine):
        file.file.delete(save=False)
    ApplicationFile.objects.filter(application__in=mine).delete()
    mine.exclude(status=Application.Status.SUBMITTED).delete()
    mine.update(team=ERASED_TEXT, solution=ERASED_TEXT, references=ERASED_TEXT, company=None)
    Assignment.objects.filter(evaluator=user).exclude(comment="").update(comment=ERASED_TEXT)
    Assignment.objects.filter(evaluator=user).exclude(conflict_reason="").update(
        conflict_reason=ERASED_TEXT
    )
    for evaluator in Evaluator.objects.filter(user=user):
        evaluator.email = f"erased-{evaluator.pk}@invalid"
        evaluator.save(update_fields=["email"])
