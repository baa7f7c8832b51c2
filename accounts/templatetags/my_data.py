"""The readable form of a person's export: each row a list of labelled values."""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.personal_data import label_of

register = template.Library()


def _value(value: Any) -> SafeString:
    if value is None or value == "" or value == []:
        return mark_safe('<span class="text-body-secondary">—</span>')
    if isinstance(value, bool):
        return format_html("{}", _("yes") if value else _("no"))
    if isinstance(value, dict):
        return _pairs(value)
    if isinstance(value, list):
        return format_html(
            '<ol class="ps-3 mb-0">{}</ol>',
            format_html_join("", '<li class="mb-2">{}</li>', ((_value(v),) for v in value)),
        )
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        moment = parse_datetime(value)
        if moment is not None and timezone.is_aware(moment):
            return format_html("{}", date_format(timezone.localtime(moment), "DATETIME_FORMAT"))
    return format_html('<span class="text-break">{}</span>', value)


def _pairs(row: dict) -> SafeString:
    return format_html(
        '<dl class="row mb-0 small">{}</dl>',
        format_html_join(
            "",
            '<dt class="col-sm-4">{}</dt><dd class="col-sm-8 mb-1">{}</dd>',
            ((str(label_of(key)).capitalize(), _value(value)) for key, value in row.items()),
        ),
    )


@register.simple_tag
def personal_data_value(value: Any) -> SafeString:
    return _value(value)
