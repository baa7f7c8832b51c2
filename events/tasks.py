from celery import shared_task


@shared_task(ignore_result=True, acks_late=True)
def send_guest_notice(pk: int) -> int:
    """Queued when the change that calls for it commits; safe to run twice (claimed)."""
    from .notices import guest_notices_send

    return guest_notices_send(pks=[pk])
