"""The events an agency's webhook endpoints can receive (api.webhooks records them)."""

from django.utils.translation import gettext_lazy as _

NEED_ROUTED = "need.routed"
NEED_CHANGED = "need.changed"
NEED_UNSHARED = "need.unshared"
BOOKING_CREATED = "booking.created"
BOOKING_RESCHEDULED = "booking.rescheduled"
BOOKING_CANCELLED = "booking.cancelled"
BOOKING_ATTENDANCE = "booking.attendance"
SURVEY_ANSWERED = "survey.answered"
PING = "ping"

EVENTS = {
    NEED_ROUTED: _("A need reached the agency's inbox"),
    NEED_CHANGED: _("A need changed (status, message, advisor)"),
    NEED_UNSHARED: _("A need is no longer shared (delete your copy)"),
    BOOKING_CREATED: _("A permanence was booked"),
    BOOKING_RESCHEDULED: _("A booking was moved to another slot"),
    BOOKING_CANCELLED: _("A booking was cancelled"),
    BOOKING_ATTENDANCE: _("Attendance was marked"),
    SURVEY_ANSWERED: _("A satisfaction survey about the agency was answered"),
}


def event_choices() -> list[tuple[str, object]]:
    return list(EVENTS.items())
