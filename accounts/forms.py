from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form (allauth calls signup() after saving)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    field_order = ["first_name", "last_name", "email", "language", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()

    def signup(self, request, user):
        """The adapter has already copied the fields; nothing else to store."""


class ProfileForm(forms.ModelForm):
    """Name, language and the optional mail this user can receive (agency staff get the
    overdue-needs digest, incubator managers the weekly permanences digest, everyone
    the satisfaction surveys)."""

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "language",
            "digest_needs",
            "digest_permanences",
            "survey_invitations",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        if getattr(user, "advisor_profile", None) is None:
            del self.fields["digest_needs"]
        if not user.managed_incubators.exists():
            del self.fields["digest_permanences"]


class AccountEraseForm(forms.Form):
    """Deleting an account cannot be undone: the person types their password again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
