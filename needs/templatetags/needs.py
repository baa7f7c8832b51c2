"""Fragments needs contributes to the pages of the apps below it (the advisor's page of
a booking, in permanences), which cannot import it; and the rows of the agency's inbox."""

import html

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS_AP
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..models import RoutedNeed

register = template.Library()


@register.inclusion_tag("needs/_person_needs.html")
def needs_of_person_at_agency(user, agency) -> dict:
    """The needs this person shared with this agency, newest first: what an advisor reads
    before meeting them."""
    routed = (
        RoutedNeed.objects.filter(need__user=user, agency=agency, shared=True)
        .select_related("need__category")
        .order_by("-created_at")[:10]
    )
    return {"routed_needs": list(routed), "agency": agency}


_PK = "2147483647"  # stands for the pk in the detail link, reversed once per page

_INBOX_ROW = (
    '<tr><td class="text-nowrap">{received}{overdue}</td>'
    '<td><a href="{link}">{person}</a>{company}</td>'
    "<td>{category}{urgent}</td>"
    "<td>{place}</td>"
    '<td><span class="badge {badge}">{status}</span></td>'
    "<td>{assigned}</td></tr>"
)


@register.simple_tag
def inbox_table_rows(items: list[dict]) -> SafeString:
    """The <tr> of each row of inbox_rows, built in one go: fifty rows through the
    template language (a {% url %} and a date filter each), or even through format_html,
    cost more than all the rest of the page. Every value goes through `escape`."""
    escape = html.escape
    link = reverse("needs:inbox_detail", kwargs={"pk": int(_PK)})
    months = {number: str(name) for number, name in MONTHS_AP.items()}
    overdue = f'<br><span class="badge text-bg-danger">{escape(_("Overdue"))}</span>'
    urgent = f' <span class="badge text-bg-warning">{escape(_("Urgent"))}</span>'
    return mark_safe(  # noqa: S308 - built from escaped values only
        "\n".join(
            _INBOX_ROW.format(
                # As the date filter's "j N H:i".
                received=escape(
                    f"{row['received'].day} {months[row['received'].month]} {row['received']:%H:%M}"
                ),
                overdue=overdue if row["overdue"] else "",
                link=escape(link.replace(_PK, str(row["pk"]))),
                person=escape(row["person"]),
                company=f"<br><small>{escape(row['company'])}</small>" if row["company"] else "",
                category=escape(row["category"]),
                urgent=urgent if row["urgent"] else "",
                place=escape(row["place"]),
                badge=escape(row["status_badge"]),
                status=escape(row["status_label"]),
                assigned=escape(row["assigned"]),
            )
            for row in items
        )
    )


_SLOT_CHECKBOX = (
    '<div class="form-check"><input type="checkbox" name="{name}" value="{pk}" class="{css}"'
    ' id="{id}"><label class="form-check-label" for="{id}">{label}</label></div>'
)


@register.simple_tag
def slot_checkboxes(field, choices: list[tuple[int, str]]) -> SafeString:
    """The checkboxes of an unbound SlotOfferForm's slots, from selectors.offer_choices,
    as its CheckboxSelectMultiple renders them (the same markup, ids and labels) without
    a model and a widget template per slot: sixty of those were most of the page's time."""
    escape = html.escape
    name = escape(field.html_name)
    css = escape(field.field.widget.attrs.get("class", ""))
    return mark_safe(  # noqa: S308 - built from escaped values only
        "".join(
            _SLOT_CHECKBOX.format(
                name=name,
                pk=pk,
                css=css,
                id=escape(f"{field.auto_id}_{index}"),
                label=escape(label),
            )
            for index, (pk, label) in enumerate(choices)
        )
    )
