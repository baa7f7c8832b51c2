"""Form fields shared by the apps."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Nothing in the portal happened before this day; a date before it, or years ahead, is
# a typing error or a probe, and would overflow the calendar arithmetic of a period.
FIRST_DAY = datetime.date(2000, 1, 1)
DAYS_AHEAD = 2 * 366


class PeriodDateField(forms.DateField):
    """A day of a period to report on or filter by, between FIRST_DAY and two years
    from now; outside that, a form error in the reader's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        last = timezone.localdate() + datetime.timedelta(days=DAYS_AHEAD)
        if not FIRST_DAY <= value <= last:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": date_format(FIRST_DAY, "j F Y"), "last": date_format(last, "j F Y")},
                code="out_of_range",
            )
