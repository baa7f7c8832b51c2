from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from incubators.models import Company

from .models import TestRequest


class TestRequestForm(forms.Form):
    __test__ = False  # not a pytest test class, whatever its name

    technology = forms.ChoiceField(
        label=_("Which technology do you want to test?"),
        choices=TestRequest.Technology.choices,
        widget=forms.RadioSelect,
    )
    technology_other = forms.CharField(
        label=_("Which one?"),
        required=False,
        max_length=200,
        help_text=_("Only if you chose another digital technology."),
    )
    goal = forms.CharField(
        label=_("What do you want to learn from the test?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The question the test should answer before you invest."),
    )
    data_available = forms.CharField(
        label=_("Which data do you have for the test?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it is, how much of it, in which format."),
    )
    data_sensitivity = forms.ChoiceField(
        label=_("How sensitive is this data?"),
        choices=TestRequest.Sensitivity.choices,
        widget=forms.RadioSelect,
    )
    timeline = forms.ChoiceField(
        label=_("When would you like to test?"),
        choices=TestRequest.Timeline.choices,
        initial=TestRequest.Timeline.QUARTER,
    )
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("Another company (name it below)"),
    )
    company_name = forms.CharField(label=_("Company name"), required=False, max_length=200)
    consent = forms.BooleanField(
        label=_(
            "I agree that this request, my name, company and incubator are shared with the "
            "EDIH and the agency that follows it up."
        ),
        required=True,
        error_messages={
            "required": _("Without your consent the EDIH cannot receive your request.")
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        companies = user.companies.order_by("name")
        self.fields["company"].queryset = companies
        first = companies.first()
        if first is None:
            del self.fields["company"]
            self.fields["company_name"].required = True
        else:
            self.fields["company"].initial = first.pk
            self.fields["company_name"].label = _("Or the name of another company")

    def clean(self):
        data = super().clean()
        if (
            data.get("technology") == TestRequest.Technology.OTHER
            and not data.get("technology_other", "").strip()
        ):
            self.add_error("technology_other", _("Say which technology you want to test."))
        if "company" in self.fields and not data.get("company") and not data.get("company_name"):
            self.add_error("company_name", _("Choose your company or name it."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in TestRequest.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the entrepreneur"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the test is not feasible: say why."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == TestRequest.Outcome.NOT_FEASIBLE
            and not data.get("note", "").strip()
        ):
            self.add_error(
                "note", _("Say why the test is not feasible: the entrepreneur will read it.")
            )
        return data
