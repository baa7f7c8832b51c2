"""Test-before-invest requests' part of a person's data (accounts.personal_data). On
erasure, or once old enough, what the person wrote goes; the request stays with its
technology, timeline and outcome, for the EDIH's figures. The need it rides on is
needs' own (needs.personal_data blanks it)."""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED_TEXT, eraser, fields_of, retention, section

from .models import TestRequest


@section("test_requests", _("Test-before-invest requests"), order=42)
def test_requests(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(
            item,
            "company_name",
            "technology",
            "technology_other",
            "goal",
            "data_available",
            "data_sensitivity",
            "timeline",
            "outcome",
            "outcome_note",
            "outcome_at",
            "created_at",
        )
        for item in TestRequest.objects.filter(user=user)
    ]


def _blank(requests) -> int:
    """What the person wrote goes (the technology's name stays: the check constraint
    needs it, and it says nothing of the person)."""
    return requests.exclude(goal=ERASED_TEXT).update(
        goal=ERASED_TEXT, data_available=ERASED_TEXT, outcome_note=""
    )


@eraser
def erase(user: User) -> None:
    _blank(TestRequest.objects.filter(user=user))


@retention("test_requests", _("Test-before-invest requests (their text), once decided"))
def purge(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = TestRequest.objects.filter(created_at__lt=before).exclude(outcome="")
    old = old.exclude(goal=ERASED_TEXT)
    if dry_run:
        return old.count()
    return _blank(old)
