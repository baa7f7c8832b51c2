"""`{% if request.user|manages:event %}`: whether to show a person the links to an event's
organiser pages (checkin.can_manage_event; a query only for signed-in people)."""

from django import template

from events.checkin import can_manage_event

register = template.Library()


@register.filter
def manages(user, event) -> bool:
    return bool(user and user.is_authenticated and can_manage_event(user, event))
