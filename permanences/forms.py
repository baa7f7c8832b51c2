import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubators.models import Agency, Incubator, Language, NeedCategory

from .models import Slot
from .selectors import SlotFilters, slot_cursor_parse

# No permanence is planned further ahead; a later date would only overflow the calendar.
FILTER_HORIZON_DAYS = 2 * 366


class SlotFilterForm(forms.Form):
    incubator = forms.ModelChoiceField(
        label=_("Incubator"),
        queryset=Incubator.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=NeedCategory.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.filter(schedules__isnull=False).distinct(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        horizon = timezone.localdate() + datetime.timedelta(days=FILTER_HORIZON_DAYS)
        for name in ("date_from", "date_to"):
            if data.get(name) and data[name] > horizon:
                self.add_error(name, _("Choose a date within the next two years."))
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> SlotFilters:
        if not self.is_valid():
            return SlotFilters()
        data = self.cleaned_data
        return SlotFilters(
            incubator=data["incubator"].slug if data["incubator"] else "",
            agency=data["agency"].slug if data["agency"] else "",
            category=data["category"].slug if data["category"] else "",
            language=data["language"].code if data["language"] else "",
            date_from=data["date_from"],
            date_to=data["date_to"],
            after=slot_cursor_parse(data["after"]) if data["after"] else None,
        )


class BookingForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=NeedCategory.objects.filter(is_active=True)
    )
    topic = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines, so the advisor comes prepared."),
    )
    language = forms.ChoiceField(label=_("Language of the meeting"))
    consent_share_profile = forms.BooleanField(
        label=_("I agree that the agency sees my name, company and incubator for this meeting."),
        required=True,
        error_messages={"required": _("The advisor needs to know who they meet: please agree.")},
    )

    follow_up = forms.BooleanField(
        label=_(
            "Also send this as a need to the agency, so it can follow it up after the meeting."
        ),
        required=False,
    )

    def __init__(self, *args, slot: Slot | None, user_language: str = "", **kwargs):
        """Without a slot, the form only reads a confirmed booking's answers (the view's
        POST, before anything is loaded): the booking service then checks the language
        and the topic against the slot, under its lock."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if slot is None:
            self.fields["language"] = forms.CharField(max_length=8)
            return
        languages = list(slot.schedule.languages.all())
        self.fields["language"].choices = [(lang.code, lang.name) for lang in languages]
        codes = [lang.code for lang in languages]
        self.fields["language"].initial = user_language if user_language in codes else codes[:1]
        # The agency's topics, or every topic when its services name none: one query,
        # run when the choices are drawn or the answer checked.
        agency_categories = NeedCategory.objects.filter(
            services__agency_id=slot.agency_id, is_active=True
        )
        self.fields["category"].queryset = NeedCategory.objects.filter(is_active=True).filter(
            Q(pk__in=agency_categories.values("pk")) | ~Exists(agency_categories)
        )


class RescheduleForm(forms.Form):
    slot = forms.IntegerField(min_value=1)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("A word for the advisor (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. I found the answer elsewhere")}),
    )


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Attendance"),
        choices=[("yes", _("Attended")), ("no", _("No-show"))],
        coerce=lambda value: value == "yes",
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
