"""Reads for the innovation journeys: one theme's services, the coming permanences of the
agencies offering them, its coming events and its open calls. A theme's page costs the
same number of queries however many services, slots, events or calls there are."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from calls.models import Call
from calls.selectors import public_calls
from events.models import Event
from events.selectors import events_upcoming
from incubators.models import Agency, NeedCategory, Service, Theme
from permanences.selectors import (
    SlotFilters,
    slot_format,
    slot_length,
    slot_list_upcoming,
    slot_place,
    slot_when,
)

# The need category "Ask a specialist" preselects on each theme's page.
THEME_CATEGORIES = {
    "digitalisation": "digital",
    "circular-economy": "circular-social",
    "social-innovation": "circular-social",
}
# The themes whose page leads to the EDIH's test before invest.
TEST_BEFORE_INVEST_THEMES = {"digitalisation"}

SLOTS_SHOWN = 6
SLOT_DAYS = 30
EVENTS_SHOWN = 6
CALLS_SHOWN = 6


def themes_public() -> QuerySet[Theme]:
    """The active themes, each with the number of its public services."""
    public = Q(services__is_active=True, services__agency__is_active=True)
    return (
        Theme.objects.filter(is_active=True)
        .annotate(service_count=Count("services", filter=public, distinct=True))
        .order_by("order", "slug")
    )


def theme_public(slug: str) -> Theme | None:
    return Theme.objects.filter(slug=slug, is_active=True).first()


def theme_services(*, theme: Theme) -> list[Service]:
    return list(
        Service.objects.filter(themes=theme, is_active=True, agency__is_active=True)
        .select_related("agency")
        .prefetch_related("categories")
        .order_by("agency__order", "agency__short_name", "order", "pk")
    )


def theme_slots(*, theme: Theme, now: datetime.datetime) -> list[dict]:
    """The next free slots of the agencies offering one of the theme's services, as rows
    (the slot, its day and hours, place, length and format, in the active language)."""
    window = SlotFilters(date_to=timezone.localdate(now) + datetime.timedelta(days=SLOT_DAYS))
    offering = Service.objects.filter(agency=OuterRef("agency"), themes=theme, is_active=True)
    slots = slot_list_upcoming(filters=window, now=now).filter(
        Exists(offering), agency__is_active=True
    )[:SLOTS_SHOWN]
    return [
        {
            "slot": slot,
            "when": slot_when(slot),
            "place": slot_place(slot),
            "length": slot_length(slot),
            "format": slot_format(slot),
        }
        for slot in slots
    ]


def theme_events(*, theme: Theme, now: datetime.datetime) -> list[Event]:
    tagged = Event.themes.through.objects.filter(event_id=OuterRef("pk"), theme=theme)
    return list(events_upcoming(now=now).filter(Exists(tagged))[:EVENTS_SHOWN])


def theme_calls(*, theme: Theme, now: datetime.datetime) -> list[Call]:
    """The theme's calls open now, then those opening soon."""
    calls = public_calls(theme=theme, now=now)
    return [c for c in calls if c.phase(now) != Call.Phase.CLOSED][:CALLS_SHOWN]


@dataclass
class Journey:
    theme: Theme
    services: list[Service]
    agencies: list[Agency]
    slots: list[dict]
    events: list[Event]
    calls: list[Call]
    ask_category: NeedCategory | None
    test_before_invest: bool


def journey(*, theme: Theme, now: datetime.datetime | None = None) -> Journey:
    now = now or timezone.now()
    services = theme_services(theme=theme)
    agencies = list({s.agency_id: s.agency for s in services}.values())
    category_slug = THEME_CATEGORIES.get(theme.slug)
    category = (
        NeedCategory.objects.filter(slug=category_slug, is_active=True).first()
        if category_slug
        else None
    )
    return Journey(
        theme=theme,
        services=services,
        agencies=agencies,
        slots=theme_slots(theme=theme, now=now),
        events=theme_events(theme=theme, now=now),
        calls=theme_calls(theme=theme, now=now),
        ask_category=category,
        test_before_invest=theme.slug in TEST_BEFORE_INVEST_THEMES,
    )
