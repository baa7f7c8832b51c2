"""The API's part of a person's data: what webhooks carried about them to an agency.
The agency's own system holds its copy under its own responsibility; the portal keeps
the bodies only for its delivery log, for RETENTION_WEBHOOK_DELIVERIES_DAYS."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import eraser, retention

from .models import WebhookDelivery

FINISHED = (WebhookDelivery.State.DELIVERED, WebhookDelivery.State.FAILED)
ERASED = "The person's data was erased before this was sent."


@eraser
def erase(user: User) -> None:
    """Nothing of the person is sent any more, and the log forgets what was."""
    mine = WebhookDelivery.objects.filter(person=user)
    mine.filter(state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.FAILED, last_error=ERASED, next_attempt_at=timezone.now()
    )
    mine.update(payload={}, response_body="")


@retention("webhook_deliveries", _("Webhook deliveries' bodies and answers"))
def purge(*, before: datetime.datetime, dry_run: bool = False) -> int:
    old = WebhookDelivery.objects.filter(created_at__lt=before, state__in=FINISHED).filter(
        ~Q(payload={}) | ~Q(response_body="")
    )
    if dry_run:
        return old.count()
    return old.update(payload={}, response_body="")
