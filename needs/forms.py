from django import forms
from django.utils.translation import gettext_lazy as _

from incubators.models import Advisor, Agency, Incubator, NeedCategory

from .models import Need, RoutedNeed
from .selectors import InboxFilters, inbox_cursor_parse


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
        ).select_related("user")
