"""Needs' part of a person's data: their needs, where each was routed and the messages
exchanged (accounts.personal_data). A need stays, for the counts by category; what was
written goes, and no agency sees it any more."""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED_TEXT, eraser, fields_of, retention, section

from .models import Need, NeedMessage, RoutedNeed, RoutedNeedEvent, SlotOffer


@section("needs", _("Needs and their messages"), order=40)
def needs(user: User) -> list[dict[str, Any]]:
    rows = []
    for need in Need.objects.filter(user=user).select_related("category", "company", "incubator"):
        row = fields_of(
            need,
            "category",
            "description",
            "urgency",
            "consent",
            "consent_changed_at",
            "source",
            "company",
            "incubator",
            "created_at",
        )
        row["routings"] = [
            {
                **fields_of(routed, "agency", "status", "shared", "created_at", "closed_at"),
                "messages": [
                    fields_of(
                        m,
                        "from_agency",
                        "body",
                        "created_at",
                        author=m.author.get_full_name() if m.author else None,
                    )
                    for m in routed.messages.all()
                ],
            }
            for routed in need.routings.select_related("agency").prefetch_related(
                "messages__author"
            )
        ]
        rows.append(row)
    return rows


def _blank(needs) -> None:
    """Take needs out of every agency's view and replace what was written about them
    (the need, the messages both ways, the notes of its history, the offers' words)."""
    routed = RoutedNeed.objects.filter(need__in=needs)
    routed.update(shared=False)
    NeedMessage.objects.filter(routed__in=routed).update(body=ERASED_TEXT)
    RoutedNeedEvent.objects.filter(routed__in=routed).exclude(note="").update(note="")
    SlotOffer.objects.filter(routed__in=routed).exclude(message="").update(message="")
    needs.update(description=ERASED_TEXT, consent=False, consent_changed_at=timezone.now())


@eraser
def erase(user: User) -> None:
    _blank(Need.objects.filter(user=user))


def _still_open():
    return Exists(
        RoutedNeed.objects.filter(need=OuterRef("pk"), status__in=RoutedNeed.OPEN_STATUSES)
    )


@retention("needs", _("Needs (their text), once no agency works on them"))
def purge_needs(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = Need.objects.filter(created_at__lt=before).exclude(description=ERASED_TEXT)
    old = old.filter(~_still_open())
    if dry_run:
        return old.count()
    count = old.count()
    _blank(Need.objects.filter(pk__in=list(old.values_list("pk", flat=True))))
    return count


@retention("messages", _("Messages about needs"))
def purge_messages(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = NeedMessage.objects.filter(created_at__lt=before).exclude(body=ERASED_TEXT)
    old = old.filter(~Q(routed__status__in=RoutedNeed.OPEN_STATUSES))
    if dry_run:
        return old.count()
    return NeedMessage.objects.filter(pk__in=list(old.values_list("pk", flat=True))).update(
        body=ERASED_TEXT
    )
