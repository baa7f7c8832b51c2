"""What organisers do with the people registered: write to them all, and tell them when
the event changes (time, place) or is cancelled.

Every message goes through the outbox (notices_operations.py builds it at sending time,
in the registration's language), recorded in the transaction of the change, one notice
per registration with a unique key: the same change or message recorded twice is sent
once.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User

from .models import Event, Registration
from .notices_operations import (
    EVENT_CANCELLED,
    EVENT_CHANGED,
    EVENT_MESSAGE,
    record_for_registrations,
)

# Who hears of a change of time or place: those holding a place. A cancellation reaches
# the waiting list too: they were waiting for this event.
CHANGE_STATUSES = Registration.HOLDING_STATUSES
CANCEL_STATUSES = (*Registration.HOLDING_STATUSES, Registration.Status.WAITLISTED)


class Audience:
    CONFIRMED = "confirmed"
    ALL = "all"


MESSAGE_STATUSES = {
    Audience.CONFIRMED: (Registration.Status.CONFIRMED,),
    Audience.ALL: CANCEL_STATUSES,
}


def event_snapshot(event: Event) -> dict:
    """What a registered person must hear about when it changes: the sessions' times, the
    place and the status. JSON-ready, so the notice keeps what it was before."""
    return {
        "sessions": [
            [s.starts_at.isoformat(), s.ends_at.isoformat()]
            for s in event.sessions.order_by("starts_at", "pk")
        ],
        "venue": event.venue_id,
        "address": event.address,
        "online_url": event.online_url,
        "status": event.status,
    }


def _digest(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Change:
    times: bool
    place: bool
    cancelled: bool

    def __bool__(self) -> bool:
        return self.times or self.place or self.cancelled


def event_changes(*, before: dict, after: dict) -> Change:
    return Change(
        times=before["sessions"] != after["sessions"],
        place=any(before[f] != after[f] for f in ("venue", "address", "online_url")),
        cancelled=before["status"] != Event.Status.CANCELLED
        and after["status"] == Event.Status.CANCELLED,
    )


def event_change_notify(*, event: Event, before: dict) -> int:
    """Tell the registered people what changed since `before` (an event_snapshot taken
    before the edit). A cancellation is told once to each; a change of time or place is
    told once per new state. Returns how many notices were recorded."""
    event.refresh_from_db()
    after = event_snapshot(event)
    change = event_changes(before=before, after=after)
    if not change:
        return 0
    with transaction.atomic():
        if change.cancelled:
            registrations = event.registrations.filter(status__in=CANCEL_STATUSES)
            return record_for_registrations(
                kind=EVENT_CANCELLED,
                registrations=registrations,
            )
        if event.status != Event.Status.PUBLISHED:
            return 0
        moved = f"{_digest(before)}-{_digest(after)}"
        registrations = event.registrations.filter(status__in=CHANGE_STATUSES)
        return record_for_registrations(
            kind=EVENT_CHANGED,
            registrations=registrations,
            suffix=f":{moved}",
            context={"before": before, "times": change.times, "place": change.place},
        )


def event_cancel(*, event: Event) -> int:
    """Cancel the event and tell everyone registered (the waiting list too)."""
    before = event_snapshot(event)
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).exclude(status=Event.Status.CANCELLED).update(
            status=Event.Status.CANCELLED
        )
        return event_change_notify(event=event, before=before)


def registrants_message(
    *, event: Event, subject: str, message: str, by: User, audience: str = Audience.ALL
) -> int:
    """The organiser's message to every registered person (or only the confirmed ones),
    each in the outbox. Returns how many were recorded."""
    statuses = MESSAGE_STATUSES.get(audience, MESSAGE_STATUSES[Audience.ALL])
    batch = uuid.uuid4().hex
    with transaction.atomic():
        return record_for_registrations(
            kind=EVENT_MESSAGE,
            registrations=event.registrations.filter(status__in=statuses),
            suffix=f":{batch}",
            context={"subject": subject, "message": message, "by": by.pk},
        )
