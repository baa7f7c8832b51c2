import logging
from functools import partial

from django.db import IntegrityError, transaction

from accounts.models import User

from .models import Notification

logger = logging.getLogger(__name__)


def notification_record(
    *,
    kind: str,
    recipient: User,
    key: str,
    booking=None,
    routed_need=None,
    survey=None,
    context: dict | None = None,
) -> Notification | None:
    """Record that `recipient` must be told; call it inside the transaction of the change.
    The same key recorded twice is kept once (returns None the second time)."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                recipient=recipient,
                key=key,
                booking=booking,
                routed_need=routed_need,
                survey=survey,
                context=context or {},
            )
    except IntegrityError:
        return None
    transaction.on_commit(partial(_enqueue, notification.pk))
    return notification


def _enqueue(pk: int) -> None:
    """Hand the notification to a worker once the change is committed. If the broker is
    down this fails fast and the minute-by-minute dispatcher sends it later: an outage
    delays a message, it never loses one."""
    from .tasks import send_notification

    try:
        send_notification.apply_async(args=[pk], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the dispatcher catches up
        logger.warning("Notification %s not queued (%s); the dispatcher will send it.", pk, exc)


def notifications_resend(*, pks: list[int]) -> int:
    """The coordinator's "send again" for failed (or skipped) messages: they are due now
    with a fresh set of attempts, and queued once this commits. Sent ones stay sent."""
    from django.utils import timezone

    with transaction.atomic():
        again = list(
            Notification.objects.filter(
                pk__in=pks,
                state__in=[Notification.State.FAILED, Notification.State.SKIPPED],
            ).values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=again).update(
            state=Notification.State.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            claim_token=None,
        )
        for pk in again:
            transaction.on_commit(partial(_enqueue, pk))
    return len(again)
