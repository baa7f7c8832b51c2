import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Commune, Company, Incubator, Language
from .validators import enterprise_number_normalize, validate_enterprise_number


class CompanyForm(forms.ModelForm):
    enterprise_number = forms.CharField(
        label=_("Enterprise number"),
        required=False,
        max_length=20,
        help_text=_("Belgian companies: the KBO/BCE number, e.g. 0417.497.106."),
    )
    # A text input, not type="url": the browser would refuse a bare domain with its own
    # message in its own language. The field adds the https:// a person leaves out.
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "country",
            "enterprise_number",
            "sector",
            "stage",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create the company")))

    def clean_enterprise_number(self) -> str:
        return enterprise_number_normalize(self.cleaned_data.get("enterprise_number", ""))

    def clean(self):
        data = super().clean()
        country = data.get("country")
        number = data.get("enterprise_number", "")
        if country == "BE" and not number and "enterprise_number" not in self.errors:
            self.add_error(
                "enterprise_number",
                _("A company registered in Belgium needs its enterprise number."),
            )
        if country and country != "BE" and number:
            self.add_error(
                "enterprise_number",
                _("Only companies registered in Belgium have a Belgian enterprise number."),
            )
        return data


class CompanyJoinForm(forms.Form):
    enterprise_number = forms.CharField(
        label=_("Enterprise number of your company"),
        max_length=20,
        help_text=_("Ask a colleague who already registered it, or find it on your invoices."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_enterprise_number(self) -> Company:
        digits = enterprise_number_normalize(self.cleaned_data["enterprise_number"])
        validate_enterprise_number(digits)
        company = Company.objects.filter(enterprise_number=digits).first()
        if company is None:
            raise forms.ValidationError(
                _("No company with this enterprise number is registered yet: create it below."),
                code="unknown_company",
            )
        return company


class MembershipRequestForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    incubator = forms.ModelChoiceField(
        label=_("Incubator or coworking space"), queryset=Incubator.objects.filter(is_active=True)
    )
    start = forms.DateField(
        label=_("Member since"),
        # A date input only takes ISO dates, whatever the page's language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        companies = user.companies.order_by("-created_at")
        self.fields["company"].queryset = companies
        self.fields["company"].empty_label = None
        self.fields["company"].initial = companies.first()
        self.fields["start"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Ask for membership")))

    def clean_start(self) -> datetime.date:
        start = self.cleaned_data["start"]
        if start > timezone.localdate() + datetime.timedelta(days=365):
            raise forms.ValidationError(_("The start date must be within the next year."))
        return start


class IncubatorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    commune = forms.ChoiceField(
        label=_("Municipality"), required=False, choices=[("", _("All"))] + Commune.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Incubator.Kind.choices
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        required=False,
        queryset=Language.objects.filter(incubators__isnull=False).distinct(),
        to_field_name="code",
        empty_label=_("All"),
    )
