"""HTML built in Python for the busiest pages, where Django's widget templates (one
template per option) and its lazy-aware `escape` cost more than the rest of the page."""

from html import escape

from django.utils.safestring import SafeString, mark_safe


def select_options(choices, *, selected: str) -> SafeString:
    """`<option>` tags for (value, label) pairs, the one whose value is `selected` marked;
    values and labels escaped as Django's `escape` does (it calls `html.escape`)."""
    return mark_safe(  # noqa: S308 - every value and label escaped here
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )
