import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import PeriodDateField
from surveys.forms_results import QuickSelect

from .selectors import Filters

# The period shown first: five months back and the next one (slots already open).
MONTHS_BACK = 5


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = today.replace(day=1)
    for _step in range(MONTHS_BACK):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = (following.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, last - datetime.timedelta(days=1)


class CockpitForm(forms.Form):
    since = PeriodDateField(label=_("From"))
    until = PeriodDateField(label=_("Until"))
    agency = forms.TypedChoiceField(
        label=_("Agency"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    incubator = forms.TypedChoiceField(
        label=_("Incubator"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args, agencies, incubators, **kwargs):
        super().__init__(*args, **kwargs)
        # The period shown when none is chosen, in the fields themselves.
        self.fields["since"].initial, self.fields["until"].initial = default_period(
            timezone.localdate()
        )
        empty = [("", _("All"))]
        self.fields["agency"].choices = empty + agencies
        self.fields["incubator"].choices = empty + incubators

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Choose a day after the first one."))
        return data

    def filters(self) -> Filters:
        since, until = default_period(timezone.localdate())
        if not self.is_bound or not self.is_valid():
            return Filters(since=since, until=until)
        data = self.cleaned_data
        return Filters(
            since=data["since"] or since,
            until=data["until"] or until,
            agency=data["agency"],
            incubator=data["incubator"],
        )
