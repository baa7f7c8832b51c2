"""Permanences' part of a person's data: their bookings and calendar feed
(accounts.personal_data). Bookings stay when a person leaves or ages out, for the counts
of bookings and attendance; what was written about them goes."""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import eraser, fields_of, retention, section

from . import notices
from .models import Booking, CalendarFeed
from .services import _advisors_to_tell, _record, _release_place
from .signals import booking_cancelled

# What a person or an advisor wrote about a booking.
TEXTS = Q(topic__gt="") | Q(outcome__gt="") | Q(cancel_reason__gt="")


@section("bookings", _("Bookings"), order=30)
def bookings(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(
            b,
            "starts_at",
            "ends_at",
            "status",
            "category",
            "topic",
            "language",
            "consent_share_profile",
            "company",
            "created_at",
            "cancelled_at",
            "cancel_reason",
            "outcome",
            agency=b.slot.agency.short_name,
            incubator=b.slot.incubator.name,
        )
        for b in Booking.objects.filter(user=user).select_related(
            "slot__agency", "slot__incubator", "category", "company"
        )
    ]


@section("calendar_feed", _("Calendar feed"), order=31)
def calendar_feed(user: User) -> dict[str, Any] | None:
    feed = CalendarFeed.objects.filter(user=user).first()
    return fields_of(feed, "created_at") if feed else None


@eraser
def erase(user: User) -> None:
    """Coming bookings are cancelled (the advisors are told, the place is free again);
    every booking of the person keeps its time, agency, topic category and attendance,
    and loses its text and the shared profile."""
    now = timezone.now()
    coming = Booking.objects.filter(
        user=user, status=Booking.Status.CONFIRMED, starts_at__gt=now
    ).select_related("slot__schedule", "slot__agency")
    cancelled = []
    for booking in coming:
        updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).update(
            status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=user
        )
        if updated:
            cancelled.append(booking)
            _release_place(booking.slot_id)
            for advisor in _advisors_to_tell(booking.slot):
                _record(notices.BOOKING_CANCELLED_BY_USER, booking, advisor)
    Booking.objects.filter(user=user).update(
        topic="", outcome="", cancel_reason="", consent_share_profile=False
    )
    # Told once the texts and the shared profile are gone: nothing of the person goes on.
    for booking in cancelled:
        booking_cancelled.send(sender=Booking, booking=booking, by=user)
    CalendarFeed.objects.filter(user=user).delete()


@retention("bookings", _("What was written about bookings (topic, outcome)"))
def purge(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = Booking.objects.filter(TEXTS, ends_at__lt=before)
    if dry_run:
        return old.count()
    return old.update(topic="", outcome="", cancel_reason="", consent_share_profile=False)
