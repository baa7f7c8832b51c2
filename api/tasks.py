from celery import shared_task
from django.conf import settings

from .delivery import deliveries_send, deliveries_send_due


@shared_task(ignore_result=True, acks_late=True)
def send_webhooks(pks: list[int]) -> int:
    """Queued when the change that calls for them commits; safe to run twice."""
    return deliveries_send(pks=pks)


@shared_task(ignore_result=True)
def dispatch_webhooks() -> int:
    """Every minute: send what is due, was never queued, or waits for a retry."""
    return deliveries_send_due(seconds=settings.WEBHOOKS_DISPATCH_SECONDS)
