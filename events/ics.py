"""Calendar files (RFC 5545) for events: one VEVENT per session, with a UID that survives
a change (the event's uid) and its SEQUENCE, so calendar apps update the same entry."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from common.dates import BRUSSELS

from .models import Event

PRODID = "-//hub.eu//events//EN"


def event_place(event: Event) -> str:
    """Where, as a calendar or an email says it."""
    parts = []
    if event.venue_id:
        parts.append(f"{event.venue.name}, {event.venue.address}")
    if event.address:
        parts.append(event.address)
    if event.online_url:
        parts.append(_("online: %(link)s") % {"link": event.online_url})
    return " — ".join(parts)


def _vevents(event: Event) -> list[VEvent]:
    link = f"{settings.SITE_URL.rstrip('/')}{event.get_absolute_url()}"
    sessions = list(event.sessions.all())
    out = []
    for index, session in enumerate(sessions):
        vevent = VEvent()
        suffix = f"-{index}" if index else ""
        vevent.add("uid", f"event-{event.uid}{suffix}@hub-eu")
        vevent.add("sequence", event.sequence)
        vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
        vevent.add("dtstart", session.starts_at.astimezone(BRUSSELS))
        vevent.add("dtend", session.ends_at.astimezone(BRUSSELS))
        title = event.title if not session.title else f"{event.title} — {session.title}"
        vevent.add("summary", title)
        vevent.add("location", event_place(event))
        vevent.add("description", f"{event.description}\n\n{link}".strip())
        vevent.add("url", link)
        vevent.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
        out.append(vevent)
    return out


def _calendar(name: str | None = None, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Europe/Brussels")
    return cal


def event_ics(event: Event, *, language: str) -> bytes:
    with translation.override(language):
        cal = _calendar()
        for vevent in _vevents(event):
            cal.add_component(vevent)
        cal.add_missing_timezones()
        return cal.to_ical()


def events_feed_ics(events, *, language: str) -> bytes:
    """The subscribable feed of every published event."""
    with translation.override(language):
        cal = _calendar(name=_("hub.eu events"))
        for event in events:
            for vevent in _vevents(event):
                cal.add_component(vevent)
        cal.add_missing_timezones()
        return cal.to_ical()
