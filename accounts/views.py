from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from incubators.selectors import company_list_for_user
from surveys.selectors import open_invitations_for

from .forms import ProfileForm
from .models import Role
from .services import user_update_profile


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"companies": company_list_for_user(user=user)}
    if user.role == Role.INCUBATOR_MANAGER or user.is_coordinator:
        context["managed_incubators"] = user.managed_incubators.all()
    advisor = getattr(user, "advisor_profile", None)
    context["advisor"] = advisor
    context["surveys"] = open_invitations_for(user=user)
    return render(request, "accounts/dashboard.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_update_profile(user=request.user, **form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        return response
    return render(request, "accounts/profile.html", {"form": form})
