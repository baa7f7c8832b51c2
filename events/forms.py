from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.forms import PeriodDateField
from incubators.models import Agency, Incubator

from .models import Event


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Event.Kind.choices]
    )
    # Days out of range (0001-01-01, 9999-12-31) are a form error, not a database error.
    start = PeriodDateField(label=_("From"))
    end = PeriodDateField(label=_("Until"))
    organiser = forms.ChoiceField(label=_("Organiser"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [
            ("", _("All organisers")),
            ("hub", _("hub.brussels")),
            *[
                (f"agency:{a.slug}", a.short_name)
                for a in Agency.objects.filter(events__isnull=False).distinct()
            ],
            *[
                (f"incubator:{i.slug}", i.name)
                for i in Incubator.objects.filter(organised_events__isnull=False).distinct()
            ],
        ]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]


class RegistrationForm(forms.Form):
    """Guests give a name and an email address; everyone answers the event's questions
    (fields named q<id>)."""

    guest_name = forms.CharField(label=_("Your name"), max_length=150)
    guest_email = forms.EmailField(label=_("Your email address"))

    def __init__(self, *args, event: Event, guest: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["guest_name"]
            del self.fields["guest_email"]
        else:
            self.fields["guest_name"].widget.attrs["autocomplete"] = "name"
            self.fields["guest_email"].widget.attrs["autocomplete"] = "email"
        for question in event.questions.all():
            name = f"q{question.pk}"
            if question.kind == question.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=[("", "—"), *[(c, c) for c in question.choice_list]],
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label, required=question.required, max_length=1000
                )

    def answers(self) -> dict[str, str]:
        return {
            name[1:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and value
        }
