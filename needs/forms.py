from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from incubators.models import Advisor, Agency, Incubator, NeedCategory
from permanences.models import Slot
from permanences.selectors import slot_format, slot_length, slot_place, slot_when

from .models import Need, RoutedNeed
from .selectors import OFFER_CHOICES, OFFER_MAX_SLOTS, InboxFilters, inbox_cursor_parse


class NeedForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=NeedCategory.objects.filter(is_active=True)
    )
    description = forms.CharField(
        label=_("What do you need?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your situation and your question, in a few lines."),
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"), choices=Need.Urgency.choices, initial=Need.Urgency.NORMAL
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that this need, my name, company and incubator are shared with the "
            "agency that answers it."
        ),
        required=True,
        error_messages={"required": _("Without your consent no agency can receive this need.")},
    )


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("all", _("All"))] + list(RoutedNeed.Status.choices),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=NeedCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    incubator = forms.ModelChoiceField(
        label=_("Incubator"),
        queryset=Incubator.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    before = forms.CharField(required=False, widget=forms.HiddenInput)

    def filters(self) -> InboxFilters:
        if not self.is_valid():
            return InboxFilters()
        data = self.cleaned_data
        return InboxFilters(
            status=data["status"] or "open",
            category=data["category"].slug if data["category"] else "",
            incubator=data["incubator"].slug if data["incubator"] else "",
            overdue=data["overdue"],
            before=inbox_cursor_parse(data["before"]) if data["before"] else None,
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class TransferForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("To agency"), queryset=Agency.objects.none())
    note = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = Agency.objects.filter(is_active=True).exclude(
            pk=agency.pk
        )


class AssignForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label=_("Advisor"), queryset=Advisor.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = Advisor.objects.filter(
            agency=agency, is_active=True
        ).select_related("user", "agency")


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, slot: Slot) -> str:
        return " · ".join(
            [capfirst(slot_when(slot)), slot_place(slot), slot_length(slot), slot_format(slot)]
        )


class SlotOfferForm(forms.Form):
    slots = SlotChoiceField(
        label=_("Free slots of your agency"),
        queryset=Slot.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Choose one to three; the entrepreneur books one of them in one click."),
    )
    message = forms.CharField(
        label=_("A word for the entrepreneur (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        # The first ones only, as a queryset the field can still filter when it cleans
        # (no query until then: an unbound form's choices come from offer_choices).
        first = slots.select_related(None).values("pk")[:OFFER_CHOICES]
        self.fields["slots"].queryset = slots.filter(pk__in=first)

    def clean_slots(self):
        slots = self.cleaned_data["slots"]
        if len(slots) > OFFER_MAX_SLOTS:
            raise forms.ValidationError(_("Choose one to three free slots."))
        return slots


class OfferBookingForm(forms.Form):
    topic = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language of the meeting"))

    def __init__(self, *args, slot: Slot, user_language: str, **kwargs):
        super().__init__(*args, **kwargs)
        languages = list(slot.schedule.languages.all())
        self.fields["language"].choices = [(lang.code, lang.name) for lang in languages]
        codes = [lang.code for lang in languages]
        self.fields["language"].initial = user_language if user_language in codes else codes[0]
