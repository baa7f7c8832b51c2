from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .services import user_update_profile


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
