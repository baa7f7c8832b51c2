"""What the API tells people: an agency's webhook endpoint was stopped after failing."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url
from notifications.models import Notification

from .models import WebhookEndpoint

WEBHOOK_STOPPED = "webhook_stopped"

registry.subject(WebhookEndpoint, lambda: WebhookEndpoint.objects.select_related("agency"))


@registry.notice(WEBHOOK_STOPPED, gettext_lazy("Webhook endpoint stopped after failures"))
def webhook_stopped(n: Notification) -> Email | None:
    endpoint = n.subject
    if endpoint.is_active:
        return None  # started again before this was sent
    return Email(
        subject=_("Webhooks to %(url)s are stopped") % {"url": endpoint.url},
        lines=[
            _(
                "The last %(count)s deliveries to this address of %(agency)s failed, each "
                "after several attempts, so the portal has stopped sending to it."
            )
            % {"count": endpoint.failures, "agency": endpoint.agency.short_name},
            _(
                "Nothing is lost: what happened since waits for it. Once the address "
                "answers again, ask the coordinator to start it again, or start it with "
                "the API (PATCH /api/v1/webhooks/%(id)s/ with is_active true)."
            )
            % {"id": endpoint.pk},
        ],
        action_url=absolute_url("api:docs"),
        action_label=_("Read the API documentation"),
    )
