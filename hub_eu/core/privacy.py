"""The privacy notice (GDPR articles 13 and 14): who is responsible, what is collected and
why, which agency sees what and when, how long it is kept, and the person's rights."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from incubators.models import Agency

# The retention rules the notice reads from PERSONAL_DATA_RETENTION_DAYS, in its order.
RETENTION_CODES = (
    "needs",
    "messages",
    "bookings",
    "notifications",
    "landing_plans",
    "test_requests",
    "community_messages",
)


def privacy_settings() -> dict[str, str]:
    return {
        "controller": settings.PRIVACY_CONTROLLER,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
    }


def privacy(request: HttpRequest) -> HttpResponse:
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    return render(
        request,
        "core/privacy.html",
        {
            **privacy_settings(),
            "retention": {code: int(days.get(code, 0) or 0) for code in RETENTION_CODES},
            "agencies": Agency.objects.filter(is_active=True).order_by("order", "short_name"),
        },
    )
