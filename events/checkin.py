"""Who manages an event, and checking people in at the door.

The organiser's staff manage an event: its organisers (the M2M), the active advisors of
the organising agency, the managers of the organising incubator, and the coordinator.
Anyone else is answered as if the event's management pages did not exist (a 404).

Check-in is one conditional update (`checked_in_at` still empty, registration
confirmed), so two phones scanning the same ticket at once check it in once; the second
learns when it was done. `registration_checked_in` is sent inside that transaction.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .models import Event, Registration
from .signals import registration_checked_in


def managed_events(user: User) -> QuerySet[Event]:
    """The events `user` may manage (all of them for the coordinator)."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_coordinator:
        return Event.objects.all()
    q = Q(organisers=user) | Q(organiser_incubator__managers=user)
    advisor = getattr(user, "advisor_profile", None)
    if advisor is not None and advisor.is_active:
        q |= Q(organiser_agency_id=advisor.agency_id)
    return Event.objects.filter(pk__in=Event.objects.filter(q).values("pk"))


def can_manage_event(user: User, event: Event) -> bool:
    return managed_events(user).filter(pk=event.pk).exists()


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    done_now: bool  # False: it had been checked in before (at registration.checked_in_at)


class NotCheckable(Exception):
    """The registration holds no confirmed place (cancelled, waitlisted...)."""


def registration_check_in(*, registration: Registration, by: User) -> CheckIn:
    """Check a confirmed registration in, once. Raises NotCheckable for any other status."""
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk,
            status=Registration.Status.CONFIRMED,
            checked_in_at__isnull=True,
        ).update(checked_in_at=now, checked_in_by=by)
        registration.refresh_from_db(fields=["status", "checked_in_at", "checked_in_by"])
        if updated:
            registration_checked_in.send(sender=Registration, registration=registration)
    if not updated and registration.checked_in_at is None:
        raise NotCheckable
    return CheckIn(registration=registration, done_now=bool(updated))


def registration_check_in_undo(*, registration: Registration) -> bool:
    """A mistaken check-in (the wrong row tapped) is undone; a survey invitation already
    made stays (it is harmless: one question too many)."""
    return bool(
        Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None
        )
    )


# --- Reading -----------------------------------------------------------------------------


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 64 or "\x00" in token:
        return None
    return (
        Registration.objects.select_related("event", "user", "checked_in_by")
        .filter(token=token)
        .first()
    )


def event_bounds(event: Event) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """When the first session starts and the last one ends (None without sessions)."""
    bounds = event.sessions.aggregate(start=Min("starts_at"), end=Max("ends_at"))
    return bounds["start"], bounds["end"]


def checkin_search(*, event: Event, q: str, limit: int = 30) -> QuerySet[Registration]:
    """Confirmed registrations whose name or email contains every word of `q`."""
    found = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related("user")
    for word in q.split()[:5]:
        word = word.replace("\x00", "")[:100]
        found = found.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(guest_name__icontains=word)
            | Q(guest_email__icontains=word)
        )
    return found.order_by("user__last_name", "user__first_name", "guest_name", "pk")[:limit]


@dataclass(frozen=True)
class Attendance:
    confirmed: int
    checked_in: int
    finished: bool  # the last session has ended: the others are no-shows

    @property
    def no_shows(self) -> int | None:
        return self.confirmed - self.checked_in if self.finished else None

    @property
    def rate(self) -> int | None:
        return round(100 * self.checked_in / self.confirmed) if self.confirmed else None


def event_attendance(*, event: Event, now: datetime.datetime | None = None) -> Attendance:
    """Confirmed and checked-in counts; no-shows once the event is over (confirmed, never
    checked in)."""
    now = now or timezone.now()
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED)
    _start, end = event_bounds(event)
    return Attendance(
        confirmed=confirmed.count(),
        checked_in=confirmed.filter(checked_in_at__isnull=False).count(),
        finished=end is not None and end <= now,
    )
