from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.forms import PeriodDateField
from common.html import select_options

from .selectors import ResultFilters


class QuickSelect(forms.Select):
    """A select built in Python, with Bootstrap's classes: through Django's widget
    templates, one template per option, the filters' options (every incubator) took
    longer than the rest of the results page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        invalid = " is-invalid" if attrs.get("aria-invalid") else ""
        attrs["class"] = f"select form-select{invalid}"
        chosen = "" if value is None else str(value)
        options = select_options(self.choices, selected=chosen)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class ResultsForm(forms.Form):
    """The results' filters. Agency staff get no agency field: theirs is imposed."""

    survey = forms.TypedChoiceField(
        label=_("Survey"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    agency = forms.TypedChoiceField(
        label=_("Agency"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    incubator = forms.TypedChoiceField(
        label=_("Incubator"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    since = PeriodDateField(label=_("From"))
    until = PeriodDateField(label=_("Until"))
    group = forms.ChoiceField(
        label=_("One row per"),
        required=False,
        widget=QuickSelect,
        choices=[("agency", _("agency")), ("incubator", _("incubator")), ("advisor", _("advisor"))],
    )
    handled = forms.ChoiceField(
        label=_("Suggestions"),
        required=False,
        widget=QuickSelect,
        choices=[("open", _("To handle")), ("done", _("Handled")), ("all", _("All"))],
    )

    def __init__(self, *args, surveys, agencies, incubators, for_agency: bool, **kwargs):
        super().__init__(*args, **kwargs)
        empty = [("", _("All"))]
        self.fields["survey"].choices = empty + surveys
        self.fields["incubator"].choices = empty + incubators
        if for_agency:
            del self.fields["agency"]
            self.fields["group"].choices = [
                c for c in self.fields["group"].choices if c[0] != "agency"
            ]
        else:
            self.fields["agency"].choices = empty + agencies

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self, *, agency: int | None = None) -> ResultFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        group = data.get("group") or ("incubator" if agency else "agency")
        return ResultFilters(
            survey=data.get("survey"),
            agency=agency or data.get("agency"),
            incubator=data.get("incubator"),
            since=data.get("since"),
            until=data.get("until"),
            group=group,
        )
