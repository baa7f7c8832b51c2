"""Reading events: the public agenda and what a page shows of one event."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from common.dates import day_start

from .models import Event, Registration


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    organiser: str = ""  # "hub", "agency:<slug>" or "incubator:<slug>"
    language: str = ""


def _with_times(qs: QuerySet[Event]) -> QuerySet[Event]:
    held = Q(registrations__status__in=Registration.HOLDING_STATUSES)
    return qs.annotate(
        starts_at=Min("sessions__starts_at"),
        ends_at=Max("sessions__ends_at"),
        held=Count("registrations", filter=held, distinct=True),
    )


def events_upcoming(
    *, filters: EventFilters | None = None, now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Published events not over yet, soonest first, with `starts_at`, `ends_at` and
    `held` (places taken) annotated."""
    filters = filters or EventFilters()
    now = now or timezone.now()
    qs = Event.objects.filter(status=Event.Status.PUBLISHED)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.language:
        qs = qs.filter(languages__code=filters.language)
    if filters.organiser == "hub":
        qs = qs.filter(organiser_agency=None, organiser_incubator=None)
    elif filters.organiser.startswith("agency:"):
        qs = qs.filter(organiser_agency__slug=filters.organiser.split(":", 1)[1])
    elif filters.organiser.startswith("incubator:"):
        qs = qs.filter(organiser_incubator__slug=filters.organiser.split(":", 1)[1])
    qs = _with_times(qs.distinct()).filter(ends_at__gt=now)
    if filters.start:
        qs = qs.filter(ends_at__gte=day_start(filters.start))
    if filters.end:
        qs = qs.filter(starts_at__lt=day_start(filters.end + datetime.timedelta(days=1)))
    return qs.select_related("venue", "organiser_agency", "organiser_incubator").order_by(
        "starts_at", "pk"
    )


# How long a past event stays in the subscribable feed: calendars keep the recent ones,
# the feed does not grow for ever.
FEED_PAST_DAYS = 90


def events_published(*, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Published (or cancelled, so calendars drop them) events not ended more than
    FEED_PAST_DAYS ago, for the feed."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)
    return (
        Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        .annotate(last_ends_at=Max("sessions__ends_at"))
        .filter(last_ends_at__gte=since)
        .select_related("venue")
        .prefetch_related("sessions")
    )


def event_public(slug: str) -> Event | None:
    """An event anyone may see: published or cancelled (never a draft)."""
    return (
        Event.objects.filter(slug=slug, status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        .select_related("venue", "organiser_agency", "organiser_incubator", "audience_incubator")
        .prefetch_related("sessions", "languages", "questions")
        .first()
    )


def registrations_upcoming_for(*, user, limit: int = 5) -> list[Registration]:
    """A person's registrations to events not over yet (registered, waiting, offered or
    awaiting approval), soonest first, each with its event's `starts_at`. One query."""
    if not user.is_authenticated:
        return []
    active = [
        Registration.Status.PENDING_APPROVAL,
        Registration.Status.CONFIRMED,
        Registration.Status.WAITLISTED,
        Registration.Status.OFFERED,
    ]
    return list(
        Registration.objects.filter(
            user=user, status__in=active, event__status=Event.Status.PUBLISHED
        )
        .annotate(
            starts_at=Min("event__sessions__starts_at"), ends_at=Max("event__sessions__ends_at")
        )
        .filter(ends_at__gt=timezone.now())
        .select_related("event")
        .order_by("starts_at", "pk")[:limit]
    )
