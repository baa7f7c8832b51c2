import logging

from celery import shared_task
from django.conf import settings

from .sending import (
    BATCH,
    notification_send,
    notifications_due,
    notifications_plan,
    notifications_send_due,
)

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, acks_late=True)
def send_notification(pk: int) -> bool:
    """Queued when the change that calls for it commits; safe to run twice."""
    return notification_send(pk=pk)


@shared_task(ignore_result=True)
def dispatch_notifications() -> int:
    """Every minute: record the reminders, agendas and digests now due, then send
    whatever is due, was never queued, or was left behind. With more than a batch due,
    NOTIFICATIONS_SENDERS - 1 helpers are queued to send beside this run, on the worker
    processes that are free. A run that stops at its time budget with messages still due
    queues the next run at once, rather than leaving them to the next tick."""
    notifications_plan()
    helpers = settings.NOTIFICATIONS_SENDERS - 1
    if helpers > 0 and len(notifications_due(limit=BATCH + 1)) > BATCH:
        try:
            for _ in range(helpers):
                send_due_notifications.delay()
        except Exception as exc:  # noqa: BLE001 - helpers only speed things up
            logger.warning("Sender helpers not queued (%s): this run sends alone.", exc)
    sent = notifications_send_due()
    if notifications_due(limit=1):
        dispatch_notifications.delay()
    return sent


@shared_task(ignore_result=True)
def send_due_notifications() -> int:
    """A helper of the dispatcher: sends due batches until none is left or its time
    budget is spent. It plans nothing and queues nothing: the dispatcher does."""
    return notifications_send_due()
