"""Surveys' part of a person's data: the invitations they received and, for surveys
that are not anonymous, their answers (accounts.personal_data). Invitations and
responses stay when the person leaves, so response rates and averages do not move."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED_TEXT, eraser, fields_of, section

from .models import Answer, Invitation, Response, Suggestion


@section("survey_invitations", _("Survey invitations"), order=50)
def invitations(user: User) -> list[dict[str, Any]]:
    rows = []
    for invitation in Invitation.objects.filter(user=user).select_related(
        "survey", "event", "agency", "incubator"
    ):
        row = fields_of(
            invitation,
            "survey",
            "event",
            "agency",
            "incubator",
            "created_at",
            "expires_at",
            "answered_at",
        )
        # An anonymous survey's answers are not linked to the person: not theirs to read.
        response = Response.objects.filter(invitation=invitation, user=user).first()
        if response is not None:
            row["answers"] = [
                {
                    "question": answer.question.text,
                    "answer": answer.number
                    if answer.number is not None
                    else answer.text or ", ".join(c.label for c in answer.choices.all()),
                }
                for answer in response.answers.select_related("question")
            ]
        rows.append(row)
    return rows


@eraser
def erase(user: User) -> None:
    """Answers given by name lose the name and their free text (the numbers stay for the
    averages); anonymous answers were never the person's."""
    named = Response.objects.filter(user=user)
    Answer.objects.filter(response__in=named).exclude(text="").update(text=ERASED_TEXT)
    Suggestion.objects.filter(response__in=named).update(text=ERASED_TEXT)
    named.update(user=None)
