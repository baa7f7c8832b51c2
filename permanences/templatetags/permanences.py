"""Fragments permanences contributes to the pages of the apps below it (the directory's
incubator pages), which cannot import it."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.language import de
from incubators.models import Incubator
from incubators.selectors import directory_labels

from ..selectors import schedules_at_incubator

register = template.Library()


@register.inclusion_tag("permanences/_schedule_table.html")
def schedule_table(incubator: Incubator) -> dict:
    """Which agency is present at `incubator`, on which day and hours."""
    return {"schedules": schedules_at_incubator(incubator=incubator)}


@register.filter
def language_name(code: str) -> str:
    """A language's name in the reader's language, from its code ("nl" -> "Dutch")."""
    return dict(directory_labels()["choices"]["language"]).get(code, code.upper())


@register.simple_tag(takes_context=True)
def slot_rows(context, slots: list[dict]) -> str:
    """The rows of one day of the slot list, from the plain rows of
    `selectors.slot_page`, escaped with the standard library's `html.escape` (what
    Django's `escape` calls) and joined in one go: the list's 50 rows through the
    template engine (a node per value, an include per badge) were most of the page's
    time, and Django's lazy-aware escaping most of what remained."""
    signed_in = context["user"].is_authenticated
    book = escape(_("Book"))
    pending = (
        f'<span class="ms-auto small">'
        f"{escape(_('Members only: your membership request is awaiting confirmation.'))}</span>"
    )
    ask = (
        f'<a href="{escape(reverse("incubators:membership_request"))}">'
        f"{escape(_('Ask for membership'))}</a>"
        if signed_in
        else ""
    )
    rows = []
    for slot in slots:
        if slot["member_state"] == "pending":
            action = pending
        elif slot["members_only"] and signed_in and slot["member_state"] != "member":
            only = _("For members of %(of_place)s only.") % {"of_place": de(slot["place"])}
            action = f'<span class="ms-auto small">{escape(only)} {ask}</span>'
        else:
            action = (
                f'<a class="btn btn-sm btn-outline-primary ms-auto" '
                f'href="{escape(slot["book_url"])}">{book}'
                f'<span class="visually-hidden"> {escape(slot["book_label"])}</span></a>'
            )
        advisor = f" · {escape(slot['advisor'])}" if slot["advisor"] else ""
        rows.append(
            '<li class="list-group-item d-flex flex-wrap align-items-center gap-2 slot-row">'
            f'<span class="fw-semibold text-nowrap">{escape(slot["time_label"])}</span> '
            '<svg class="agency-badge" viewBox="0 0 2 2" aria-hidden="true" focusable="false">'
            f'<circle cx="1" cy="1" r="1" fill="{escape(slot["agency_color"])}"/></svg> '
            f"<span><strong>{escape(slot['agency'])}</strong> · {escape(slot['place'])}"
            f"{advisor}</span> "
            f'<span class="small text-body-secondary">{escape(slot["details"])}</span> '
            f"{action}</li>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
