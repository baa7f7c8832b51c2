from celery import shared_task

from .sending import notification_send, notifications_dispatch, notifications_due


@shared_task(ignore_result=True, acks_late=True)
def send_notification(pk: int) -> bool:
    """Queued when the change that calls for it commits; safe to run twice."""
    return notification_send(pk=pk)


@shared_task(ignore_result=True)
def dispatch_notifications() -> int:
    """Every minute: record the reminders, agendas and digests now due, then send
    whatever is due, was never queued, or was left behind. A run that stops at its time
    budget with messages still due queues the next run at once, rather than leaving
    them to the next tick."""
    sent = notifications_dispatch()
    if notifications_due(limit=1):
        dispatch_notifications.delay()
    return sent
