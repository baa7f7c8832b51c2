"""Notifications' part of a person's data: the notices sent to them
(accounts.personal_data). The emails themselves are built when sent and never stored;
a notice keeps its kind, its time and a few values (its context), which go."""

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import eraser, fields_of, retention, section

from .models import Notification

FINISHED = (Notification.State.SENT, Notification.State.SKIPPED, Notification.State.FAILED)


@section("notifications", _("Notices sent to you"), order=60)
def notices(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(n, "kind", "state", "created_at", "sent_at")
        for n in Notification.objects.filter(recipient=user)
    ]


@eraser
def erase(user: User) -> None:
    mine = Notification.objects.filter(recipient=user)
    mine.filter(state=Notification.State.PENDING).update(state=Notification.State.SKIPPED)
    mine.update(context={}, last_error="")


@retention("notifications", _("Notices' details (context, errors)"))
def purge(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = Notification.objects.filter(created_at__lt=before, state__in=FINISHED).filter(
        ~Q(context={}) | ~Q(last_error="")
    )
    if dry_run:
        return old.count()
    return old.update(context={}, last_error="")
