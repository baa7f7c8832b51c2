from django import forms
from django.utils.translation import gettext_lazy as _

from common.file_fields import MultipleFileField

from .models import Challenge, Criterion, Hackathon, SkillPost, Submission, Team
from .uploads import ALLOWED_EXTENSIONS, MAX_FILES, check_upload


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "pitch", "challenge", "looking_for_members", "skills_wanted"]
        widgets = {"pitch": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, hackathon: Hackathon, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = Challenge.objects.filter(hackathon=hackathon)
        self.fields["challenge"].empty_label = _("Not decided yet")


class SkillPostForm(forms.ModelForm):
    class Meta:
        model = SkillPost
        fields = ["skills", "note"]


class SubmissionForm(forms.ModelForm):
    files = MultipleFileField(
        label=_("Add files"), required=False, check=check_upload, extensions=ALLOWED_EXTENSIONS
    )

    class Meta:
        model = Submission
        fields = ["project_name", "challenge", "description", "repository_url", "demo_url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "repository_url": _("e.g. https://github.com/your-team/project"),
            "demo_url": _("A video or a running version."),
        }

    def __init__(self, *args, hackathon: Hackathon, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = Challenge.objects.filter(hackathon=hackathon)
        self.fields["challenge"].empty_label = _("No particular challenge")
        # Said in the reader's language: built per form, not once at import.
        self.fields["files"].help_text = _("Up to %(count)s files: %(types)s.") % {
            "count": MAX_FILES,
            "types": ", ".join(ALLOWED_EXTENSIONS),
        }


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for criterion in criteria:
            fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=10,
                help_text=_("From 0 to 10."),
            )
        self.fields = {**fields, **self.fields}
        self.criteria = criteria

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class AssignForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How"),
        choices=[("all", _("Every juror scores every submission")), ("split", _("Split"))],
        widget=forms.RadioSelect,
        initial="all",
    )
    per_submission = forms.IntegerField(
        label=_("Jurors per submission (split)"),
        min_value=1,
        max_value=50,
        initial=2,
        required=False,
    )


class PublishForm(forms.Form):
    """The winner overall and of each challenge, among the submissions."""

    def __init__(self, *args, hackathon: Hackathon, **kwargs):
        super().__init__(*args, **kwargs)
        submissions = Submission.objects.filter(hackathon=hackathon)
        self.fields["overall"] = forms.ModelChoiceField(
            label=_("Winner overall"),
            queryset=submissions,
            required=False,
            empty_label=_("No overall winner"),
        )
        self.challenges = list(hackathon.challenges.all())
        for challenge in self.challenges:
            self.fields[f"challenge_{challenge.pk}"] = forms.ModelChoiceField(
                label=_("Winner of “%(challenge)s”") % {"challenge": challenge.title},
                queryset=submissions.filter(challenge=challenge),
                required=False,
                empty_label=_("No winner"),
            )

    def per_challenge(self) -> dict[int, Submission | None]:
        return {c.pk: self.cleaned_data.get(f"challenge_{c.pk}") for c in self.challenges}
