from django import forms
from django.utils.translation import gettext_lazy as _

from incubators.models import Company
from incubators.selectors import directory_labels

from .models import BODY_MAX, DESCRIPTION_MAX, SUBJECT_MAX, TAGLINE_MAX, LookingFor
from .selectors import SEARCH_MAX
from .uploads import check_logo


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters; an unknown value is a form error, and the list
    then shows every profile (a hostile parameter never reaches the database)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    incubator = forms.ChoiceField(label=_("Incubator"), required=False)
    looking_for = forms.ChoiceField(label=_("Looks for"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = _("Name or what they do")
        self.fields["sector"].choices = [("", _("All sectors")), *Company.Sector.choices]
        self.fields["incubator"].choices = [
            ("", _("All incubators")),
            *directory_labels()["choices"]["incubator"],
        ]
        self.fields["looking_for"].choices = [("", _("Anything")), *LookingFor.choices]
        self.fields["stage"].choices = [("", _("All stages")), *Company.Stage.choices]

    def clean_q(self) -> str:
        return self.cleaned_data["q"].replace("\x00", "").strip()


class ProfileForm(forms.Form):
    tagline = forms.CharField(
        label=_("In one sentence"),
        max_length=TAGLINE_MAX,
        help_text=_("What the company does, as you would say it to someone you just met."),
    )
    description = forms.CharField(
        label=_("What the company does"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your product or service, for whom, and where you stand."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Company.Sector.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Company.Stage.choices)
    looking_for = forms.MultipleChoiceField(
        label=_("What you look for"),
        required=False,
        choices=LookingFor.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    looking_for_note = forms.CharField(
        label=_("What exactly you look for"),
        required=False,
        max_length=300,
        help_text=_("For example: a developer in Brussels, a first hospital for a pilot."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, 512 KB at most."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    contact_enabled = forms.BooleanField(
        label=_("Accept messages through the portal"),
        required=False,
        help_text=_(
            "Signed-in visitors can write to your company's people by email; your address "
            "stays hidden until you answer."
        ),
    )

    def __init__(self, *args, has_logo: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not has_logo:
            del self.fields["remove_logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            check_logo(logo)
        return logo or None

    def clean_tagline(self) -> str:
        return self.cleaned_data["tagline"].replace("\x00", "").strip()

    def clean_description(self) -> str:
        return self.cleaned_data["description"].replace("\x00", "").strip()

    def clean_looking_for_note(self) -> str:
        return self.cleaned_data["looking_for_note"].replace("\x00", "").strip()


class ContactForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Your message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 7})
    )
    # A honeypot: hidden from people (and from screen readers); a bot that fills every
    # field gives itself away, and is thanked without anything being sent.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_subject(self) -> str:
        # One line: it becomes the email's subject, where a line break has no place.
        return " ".join(self.cleaned_data["subject"].replace("\x00", "").split())

    def clean_body(self) -> str:
        return self.cleaned_data["body"].replace("\x00", "").strip()

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
