"""My data (see, download, delete my account) and the coordinator's page of retention
and the personal data log. Each app's part comes through the registry."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import privacy
from .decorators import coordinator_required
from .forms import AccountEraseForm
from .models import PersonalDataEvent


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    data = privacy.personal_data_export(user=request.user, what=_("Read on the My data page"))
    return render(request, "accounts/my_data.html", {"data": data})


@never_cache
@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = privacy.personal_data_export(user=request.user, what=_("Downloaded as JSON"))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"hub-eu-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountEraseForm(request.POST or None, user=request.user)
    refused = request.user.is_staff or request.user.is_superuser
    if request.method == "POST" and not refused and form.is_valid():
        privacy.user_erase(user=request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. We sent you a last email."))
        return redirect("incubators:home")
    return render(request, "accounts/account_delete.html", {"form": form, "refused": refused})


@coordinator_required
def personal_data_overview(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    events = PersonalDataEvent.objects.select_related("actor", "subject")
    if kind in PersonalDataEvent.Kind.values:
        events = events.filter(kind=kind)
    return render(
        request,
        "accounts/personal_data_overview.html",
        {
            "retention": privacy.retention_preview(),
            "events": events[:200],
            "kinds": PersonalDataEvent.Kind.choices,
            "kind": kind,
        },
    )
