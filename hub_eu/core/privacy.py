"""The privacy notice (GDPR articles 13 and 14): who is responsible, what is collected and
why, which agency sees what and when, how long it is kept, and the person's rights."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from incubators.models import Agency

# The retention rules the notice reads from PERSONAL_DATA_RETENTION_DAYS, in its order.
RETENTION_CODES = ("needs", "messages", "bookings", "notifications")


# Defaults until settings.py reads PRIVACY_CONTROLLER and PRIVACY_CONTACT_EMAIL from the
# environment: the coordinating body, and its data protection officer's address.
DEFAULT_CONTROLLER = "hub.brussels"
DEFAULT_CONTACT_EMAIL = "dpo@hub.brussels"


def privacy_settings() -> dict[str, str]:
    return {
        "controller": getattr(settings, "PRIVACY_CONTROLLER", "") or DEFAULT_CONTROLLER,
        "contact_email": getattr(settings, "PRIVACY_CONTACT_EMAIL", "") or DEFAULT_CONTACT_EMAIL,
    }


def privacy(request: HttpRequest) -> HttpResponse:
    days = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", {})
    return render(
        request,
        "core/privacy.html",
        {
            **privacy_settings(),
            "retention": {code: int(days.get(code, 0) or 0) for code in RETENTION_CODES},
            "agencies": Agency.objects.filter(is_active=True).order_by("order", "short_name"),
        },
    )
