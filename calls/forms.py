from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.file_fields import MultipleFileField
from incubators.models import Company, Theme

from .models import Application, Call, Criterion
from .uploads import ALLOWED_EXTENSIONS, MAX_FILES, check_upload, upload_max_bytes


class CallFilterForm(forms.Form):
    """The public list's filters; a value that is not a choice is ignored (the list is
    shown unfiltered by it), never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.ChoiceField(label=_("Innovation theme"), required=False)
    phase = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Call.Phase.choices],
    )
    funder_kind = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=[("", _("All")), *Call.FunderKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All"))] + [
            (t.slug, str(t.name)) for t in Theme.objects.filter(is_active=True)
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            # Keep the valid values only.
            return {
                name: self.cleaned_data.get(name) or ""
                for name in self.fields
                if name not in self.errors
            }
        return {name: value or "" for name, value in self.cleaned_data.items()}


class ApplicationForm(forms.ModelForm):
    """The application, saved as a draft or submitted (the button pressed). A draft needs
    only a title; the service checks what a submission needs."""

    files = MultipleFileField(
        label=_("Add attachments"),
        required=False,
        check=check_upload,
        extensions=ALLOWED_EXTENSIONS,
    )

    class Meta:
        model = Application
        fields = ["company", "project_title", "team", "solution", "trl", "references"]
        widgets = {
            "team": forms.Textarea(attrs={"rows": 4}),
            "solution": forms.Textarea(attrs={"rows": 6}),
            "references": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(people=user).order_by("name")
        self.fields["company"].empty_label = _("In my own name")
        self.fields["company"].label = _("Applying for")
        self.fields["trl"] = forms.TypedChoiceField(
            label=self.fields["trl"].label,
            help_text=self.fields["trl"].help_text,
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Choose a level"))]
            + [(n, _("TRL %(n)s") % {"n": n}) for n in range(1, 10)],
        )
        # Said in the reader's language: built per form, not once at import.
        self.fields["files"].help_text = _(
            "Up to %(count)s files of %(size)s MB at most: %(types)s. Only you, the "
            "evaluators and the call's managers can open them."
        ) % {
            "count": MAX_FILES,
            "size": upload_max_bytes() // (1024 * 1024),
            "types": ", ".join(ALLOWED_EXTENSIONS),
        }


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the managers; they may pass it on to the applicant as feedback."),
    )

    def __init__(self, *args, criteria: list[Criterion], score_max: int, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for criterion in criteria:
            fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                choices=[(n, str(n)) for n in range(score_max + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
        self.fields = {**fields, **self.fields}
        self.criteria = criteria
        # The scale on one line (it wraps on a phone when 0-10).
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[InlineRadios(name) for name in fields], "comment")

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (for the managers)"),
        required=False,
        max_length=300,
        help_text=_("E.g. I advise this company; a relative works there."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Evaluator's email address"),
        help_text=_("Anyone may evaluate: the person signs in (or signs up) with this address."),
    )


class AssignForm(forms.Form):
    per_application = forms.IntegerField(
        label=_("Evaluators per application"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Leave empty: every evaluator scores every application."),
    )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["shortlisted", "decision", "feedback"]
        widgets = {"feedback": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "feedback": _("Sent to the applicant with the decision, when you publish them.")
        }
