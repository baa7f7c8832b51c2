"""Events' part of a person's data (accounts.personal_data): their registrations.
Registrations stay when a person leaves or ages out, for the counts of registrations and
attendance; the answers given go, and a guest's name and address with them."""

import datetime
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import eraser, fields_of, retention, section

from . import services
from .models import Registration


@section("event_registrations", _("Event registrations"), order=35)
def registrations(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(
            r,
            "status",
            "language",
            "waitlist_position",
            "answers",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "checked_in_at",
            event=r.event.title,
        )
        for r in Registration.objects.filter(user=user).select_related("event")
    ]


@eraser
def erase(user: User) -> None:
    """Registrations for events to come are cancelled (a place held goes to the first in
    line); every registration keeps its event and status and loses its answers."""
    now = timezone.now()
    coming = (
        Registration.objects.active()
        .filter(user=user)
        .annotate(ends_at=Max("event__sessions__ends_at"))
        .filter(ends_at__gt=now)
    )
    for pk in list(coming.values_list("pk", flat=True)):
        services.registration_cancel(registration_id=pk, by=user, now=now)
    Registration.objects.filter(user=user).update(answers={})


def _guest_erased_email(pk: int) -> str:
    return f"erased-{pk}@erased.invalid"


@retention("events", _("Guests' names and addresses and the answers given, after an event"))
def purge(*, before: datetime.datetime, dry_run: bool = False) -> int:
    """Registrations of events over before `before`: answers emptied; a guest's name and
    address replaced (the row stays for the counts)."""
    over = Registration.objects.annotate(ends_at=Max("event__sessions__ends_at")).filter(
        ends_at__lt=before
    )
    old = over.filter(~Q(answers={}) | (Q(user=None) & ~Q(guest_email__endswith="@erased.invalid")))
    if dry_run:
        return old.count()
    count = 0
    for registration in old.only("pk", "user_id"):
        fields: dict[str, Any] = {"answers": {}}
        if registration.user_id is None:
            fields |= {"guest_name": "", "guest_email": _guest_erased_email(registration.pk)}
        Registration.objects.filter(pk=registration.pk).update(**fields)
        count += 1
    return count
