from celery import shared_task

from .sending import notification_send, notifications_dispatch


@shared_task(ignore_result=True, acks_late=True)
def send_notification(pk: int) -> bool:
    """Queued when the change that calls for it commits; safe to run twice."""
    return notification_send(pk=pk)


@shared_task(ignore_result=True)
def dispatch_notifications() -> int:
    """Every minute: record the reminders, agendas and digests now due, then send
    whatever is due, was never queued, or was left behind."""
    return notifications_dispatch()
