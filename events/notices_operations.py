"""What events tell the registered people besides their ticket: the reminder before the
event, a change of time or place, the cancellation, and the organisers' messages; and
the planner that says when an event has finished (surveys invites its attendees).

Built at sending time in the registration's language (the recipient's), from the
registration and the event as they are then: a cancelled registration gets no reminder,
a message to a registration cancelled since is not sent. Imported by events/notices.py.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url, when
from notifications.models import Notification
from notifications.services import notification_row, notifications_record_many

from .ics import event_ics
from .models import Event, EventSession, GuestNotice, Registration
from .signals import event_finished

EVENT_REMINDER = "event_reminder"
EVENT_CHANGED = "event_changed"
EVENT_CANCELLED = "event_cancelled"
EVENT_MESSAGE = "event_message"

# For how long after its end an event is still said to have finished (beat down for
# hours, a check-in typed in late): the surveys receiver invites each attendee once.
FINISHED_WINDOW = datetime.timedelta(days=2)


def notice_key(kind: str, registration: Registration, suffix: str = "") -> str:
    """The key events.notices.registration_notify gives a notice (guests' and users')."""
    return f"{kind}:event-registration:{registration.pk}{suffix}"


def record_for_registrations(
    *,
    kind: str,
    registrations: Iterable[Registration],
    suffix: str = "",
    context: dict | None = None,
) -> int:
    """One notice per registration, about it, to its person: in the outbox for people
    with an account (in bulk), in the guests' queue otherwise (notices.registration_notify).
    `suffix` tells apart notices of the same kind (a message, a change). Call it inside the
    transaction of the change. Returns how many were new."""
    from .notices import registration_notify

    rows, guests = [], []
    for registration in registrations:
        if registration.user_id is None:
            guests.append(registration)
            continue
        rows.append(
            notification_row(
                kind=kind,
                recipient_id=registration.user_id,
                key=notice_key(kind, registration, suffix),
                subject=Registration(pk=registration.pk),
                context=context,
            )
        )
    # Guests' keys already recorded are left out first, as notifications_record_many
    # does for the others: the reminder planner runs every minute.
    keys = {notice_key(kind, r, suffix): r for r in guests}
    known = set(GuestNotice.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    fresh = [r for key, r in keys.items() if key not in known]
    for registration in fresh:
        registration_notify(kind, registration, key_suffix=suffix, context=context)
    return notifications_record_many(rows) + len(fresh)


# --- Building the emails ---------------------------------------------------------------


def place_text(event: Event) -> str:
    parts = []
    if event.venue_id:
        parts.append(event.venue.name)
    if event.address:
        parts.append(event.address)
    elif event.venue_id and getattr(event.venue, "street", ""):
        parts.append(event.venue.address)
    if event.online_url:
        parts.append(_("online: %(link)s") % {"link": event.online_url})
    return " · ".join(parts)


def session_text(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    end = timezone.localtime(ends_at)
    if timezone.localdate(starts_at) == timezone.localdate(ends_at):
        return f"{capfirst(when(starts_at))}–{end:%H:%M}"
    return f"{capfirst(when(starts_at))} – {when(ends_at)}"


def _sessions_lines(event: Event) -> list[str]:
    return [
        f"• {session_text(s.starts_at, s.ends_at)}" + (f" ({s.title})" if s.title else "")
        for s in event.sessions.all()
    ]


def _ticket_url(registration: Registration) -> str:
    return absolute_url("events:ticket", token=registration.token)


def _ics(event: Event) -> list[tuple[str, bytes, str]]:
    """The calendar file: the same uid and a higher sequence, so it updates (or, for a
    cancelled event, removes) the entry already in the person's calendar."""
    return [("event.ics", event_ics(event, language=translation.get_language()), "text/calendar")]


@registry.notice(EVENT_REMINDER, gettext_lazy("Reminder before an event"))
def event_reminder(n: Notification) -> Email | None:
    registration = n.subject
    event = registration.event
    first = event.sessions.first()
    if (
        registration.status != Registration.Status.CONFIRMED
        or event.status != Event.Status.PUBLISHED
        or first is None
        or first.starts_at <= timezone.now()
    ):
        return None
    lines = [_("%(title)s, at %(place)s:") % {"title": event.title, "place": place_text(event)}]
    lines += _sessions_lines(event)
    lines.append(_("Show your ticket's QR code at the entrance to be checked in."))
    lines.append(_("Cannot come? Cancel from your ticket so that someone else can take the place."))
    return Email(
        subject=_("Reminder: %(title)s on %(when)s")
        % {"title": event.title, "when": when(first.starts_at)},
        lines=lines,
        action_url=_ticket_url(registration),
        action_label=_("See your ticket"),
        attachments=_ics(event),
    )


def _moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def _before_lines(event: Event, context: dict) -> list[str]:
    before = context.get("before") or {}
    lines = []
    if context.get("times"):
        lines.append(_("Before the change:"))
        lines += [
            f"• {session_text(_moment(start), _moment(end))}"
            for start, end in before.get("sessions", [])
        ]
    if context.get("place"):
        old = Event(
            venue_id=before.get("venue"),
            address=before.get("address", ""),
            online_url=before.get("online_url", ""),
        )
        lines.append(_("The place was: %(place)s") % {"place": place_text(old)})
    return lines


@registry.notice(EVENT_CHANGED, gettext_lazy("An event changed (time or place)"))
def event_changed(n: Notification) -> Email | None:
    registration = n.subject
    event = registration.event
    if (
        registration.status not in Registration.HOLDING_STATUSES
        or event.status != Event.Status.PUBLISHED
    ):
        return None
    times, place = n.context.get("times"), n.context.get("place")
    if times and place:
        changed = _("The organisers changed the time and the place of %(title)s.")
    elif place:
        changed = _("The organisers changed the place of %(title)s.")
    else:
        changed = _("The organisers changed the time of %(title)s.")
    lines = [
        changed % {"title": event.title},
        _("Now:"),
        *_sessions_lines(event),
        _("Place: %(place)s") % {"place": place_text(event)},
        *_before_lines(event, n.context),
        _("Cannot come any more? Cancel from your ticket so that someone else can take the place."),
        _("The calendar file attached updates the event in your calendar."),
    ]
    return Email(
        subject=_("Change: %(title)s") % {"title": event.title},
        lines=lines,
        action_url=_ticket_url(registration),
        action_label=_("See your ticket"),
        attachments=_ics(event),
    )


@registry.notice(EVENT_CANCELLED, gettext_lazy("An event is cancelled"))
def event_cancelled(n: Notification) -> Email | None:
    registration = n.subject
    event = registration.event
    if event.status != Event.Status.CANCELLED:
        return None
    lines = [
        _("We are sorry: %(title)s, organised by %(organiser)s, is cancelled.")
        % {"title": event.title, "organiser": event.organiser_name},
        *_sessions_lines(event),
        _("Your registration is cancelled with it; there is nothing for you to do."),
        _("The calendar file attached removes it from your calendar."),
    ]
    return Email(
        subject=_("Cancelled: %(title)s") % {"title": event.title},
        lines=lines,
        action_url=absolute_url("events:event_list"),
        action_label=_("See the other events"),
        attachments=_ics(event),
    )


@registry.notice(EVENT_MESSAGE, gettext_lazy("A message of an event's organisers"))
def event_message(n: Notification) -> Email | None:
    registration = n.subject
    event = registration.event
    if registration.status not in (*Registration.HOLDING_STATUSES, Registration.Status.WAITLISTED):
        return None
    lines = [
        _("A message from the organisers of %(title)s:") % {"title": event.title},
        *[line for line in str(n.context.get("message", "")).splitlines()],
    ]
    return Email(
        subject=f"{event.title}: {n.context.get('subject', '')}",
        lines=lines,
        action_url=_ticket_url(registration),
        action_label=_("See your registration"),
    )


# --- Planners --------------------------------------------------------------------------


@registry.planner
def event_reminders_plan(*, now: datetime.datetime) -> int:
    """The reminder, EVENTS_REMINDER_HOURS before the first session, to each confirmed person;
    someone confirmed after that moment was just told and gets none. Once each (key)."""
    ahead = datetime.timedelta(hours=settings.EVENTS_REMINDER_HOURS)
    starting = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .annotate(first=Min("sessions__starts_at"))
        .filter(first__gt=now, first__lte=now + ahead)
        .values_list("pk", "first")
    )
    made = 0
    for event_id, first in starting:
        due = Registration.objects.filter(
            event_id=event_id, status=Registration.Status.CONFIRMED
        ).exclude(confirmed_at__gt=first - ahead)
        made += record_for_registrations(
            kind=EVENT_REMINDER,
            registrations=due.only("pk", "user_id", "event_id", "language", "guest_email"),
        )
    return made


@registry.planner
def events_finished_plan(*, now: datetime.datetime) -> int:
    """Say `event_finished` of each event whose last session ended within FINISHED_WINDOW.
    Receivers must be idempotent (the surveys app invites each attendee once); the cache
    only spares them a call a minute. Returns 0: it records no notice itself."""
    ended = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .annotate(last=Max("sessions__ends_at"))
        .filter(last__lte=now, last__gt=now - FINISHED_WINDOW)
    )
    timeout = int(FINISHED_WINDOW.total_seconds())
    for event in ended:
        marker = f"events:finished:{event.pk}"
        if not cache.add(marker, 1, timeout=timeout):
            continue
        try:
            with transaction.atomic():
                event_finished.send(sender=Event, event=event)
        except Exception:
            cache.delete(marker)  # said again on the next tick
            raise
    return 0


def event_has_ended(event: Event, now: datetime.datetime | None = None) -> bool:
    last = EventSession.objects.filter(event=event).aggregate(last=Max("ends_at"))["last"]
    return last is not None and last <= (now or timezone.now())
