from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation

from .models import Role


class AccountAdapter(DefaultAccountAdapter):
    """Every allauth email goes out in its recipient's own language."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.first_name = data.get("first_name", "")
        user.last_name = data.get("last_name", "")
        user.language = data.get("language") or translation.get_language() or "fr"
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """An entrepreneur who has not said which company they work for starts there."""
        user = request.user
        if user.role == Role.ENTREPRENEUR and not user.companies.exists():
            return reverse("incubators:onboarding")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return reverse("incubators:onboarding")
