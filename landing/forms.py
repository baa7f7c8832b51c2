import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .itinerary import Candidate
from .models import LandingNeed, LandingPlan
from .selectors import STUCK_REASONS, OverviewFilters


class DateInput(forms.DateInput):
    input_type = "date"


class IntakeForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("What do you need help with?"),
        choices=LandingNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing you need help with.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that these needs, my name and my start-up's details are shared with the "
            "agencies that help with them."
        ),
        required=False,
        help_text=_("Without it you still get your plan, but no agency receives your needs."),
    )

    class Meta:
        model = LandingPlan
        fields = [
            "company_name",
            "country",
            "city",
            "sector",
            "stage",
            "team_size",
            "arrival_date",
            "needs",
            "about",
            "consent",
        ]
        widgets = {
            "arrival_date": DateInput(format="%Y-%m-%d"),
            "about": forms.Textarea(attrs={"rows": 4}),
            "team_size": forms.NumberInput(attrs={"min": 1, "max": 10000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------")] + [
            (code, name) for code, name in countries if code != "BE"
        ]

    def clean_country(self):
        country = self.cleaned_data["country"]
        if country == "BE":
            raise forms.ValidationError(
                _("This plan is for start-ups coming from abroad. Choose your country.")
            )
        return country

    def clean_arrival_date(self):
        return _arrival_checked(self.cleaned_data["arrival_date"])


def _arrival_checked(day: datetime.date) -> datetime.date:
    today = timezone.localdate()
    if day < today - datetime.timedelta(days=30):
        raise forms.ValidationError(_("Give a date from last month onwards."))
    if day > today + datetime.timedelta(days=730):
        raise forms.ValidationError(_("Give a date within the next two years."))
    return day


class PlanUpdateForm(forms.Form):
    arrival_date = forms.DateField(
        label=_("Planned arrival in Brussels"),
        widget=DateInput(format="%Y-%m-%d"),
        help_text=_("Until then, your meetings are online."),
    )
    add_needs = forms.MultipleChoiceField(
        label=_("Add steps to my plan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: LandingPlan, **kwargs):
        super().__init__(*args, initial={"arrival_date": plan.arrival_date}, **kwargs)
        known = set(plan.steps.values_list("code", flat=True))
        choices = [(code, label) for code, label in LandingNeed.choices if code not in known]
        self.fields["add_needs"].choices = choices
        if not choices:
            del self.fields["add_needs"]

    def clean_arrival_date(self):
        return _arrival_checked(self.cleaned_data["arrival_date"])


class ItineraryForm(forms.Form):
    """One choice per agency among its candidate slots of the week, or none."""

    NONE = ""

    def __init__(self, *args, agencies, candidates: dict[int, list[Candidate]], proposal, **kw):
        super().__init__(*args, **kw)
        self.agencies = {a.pk: a for a in agencies}
        for agency in agencies:
            options = candidates.get(agency.pk, [])
            choices = [(self.NONE, _("No meeting this week"))] + [
                (str(c.slot_id), _option_label(c)) for c in options
            ]
            proposed = proposal.get(agency.pk)
            self.fields[f"agency_{agency.pk}"] = forms.ChoiceField(
                label=agency.name,
                choices=choices,
                required=False,
                initial=str(proposed.slot_id) if proposed else self.NONE,
                disabled=not options,
                error_messages={
                    "invalid_choice": _("This time is no longer available: choose another one.")
                },
            )
        self.fields["note"] = forms.CharField(
            label=_("Anything the advisors should know? (optional)"),
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Your plan's steps are already in each booking."),
        )
        self.fields["consent_share_profile"] = forms.BooleanField(
            label=_("I agree that each agency sees my name, start-up and plan for its meeting."),
            required=True,
            error_messages={
                "required": _("The advisors need to know who they meet: please agree.")
            },
        )

    def choices(self) -> dict[int, int]:
        chosen = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("agency_") and value:
                chosen[int(name.removeprefix("agency_"))] = int(value)
        return chosen

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields if name.startswith("agency_")):
            raise forms.ValidationError(_("Choose at least one meeting."))
        return data


def _option_label(c: Candidate) -> str:
    from django.utils.formats import date_format

    local = timezone.localtime(c.starts_at)
    end = timezone.localtime(c.ends_at)
    where = _("online") if c.online else c.place
    return f"{date_format(local, 'D j b')} {local:%H:%M}–{end:%H:%M} · {where}"


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    stuck = forms.ChoiceField(
        label=_("Stuck"),
        required=False,
        choices=[
            ("", _("All")),
            ("any", _("Stuck, for any reason")),
            ("need", _("A need unanswered")),
            ("itinerary", _("No meetings booked before arrival")),
            ("idle", _("No progress for two weeks")),
        ],
    )
    arrival = forms.ChoiceField(
        label=_("Arrival"),
        required=False,
        choices=[
            ("", _("All")),
            ("soon", _("Within 30 days")),
            ("later", _("Later")),
            ("past", _("Arrived")),
        ],
    )

    def __init__(self, *args, countries_used=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(countries)
        self.fields["country"].choices = [("", _("All"))] + sorted(
            ((code, names.get(code, code)) for code in countries_used), key=lambda c: c[1]
        )

    def filters(self) -> OverviewFilters:
        if not self.is_valid():
            return OverviewFilters()
        data = self.cleaned_data
        stuck = data["stuck"] if data["stuck"] in ("any", *STUCK_REASONS) else ""
        return OverviewFilters(
            q=data["q"].replace("\x00", "").strip(),
            country=data["country"],
            stuck=stuck,
            arrival=data["arrival"],
        )
