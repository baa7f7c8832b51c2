import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from accounts.models import User

from . import registry
from .models import Notification

logger = logging.getLogger(__name__)


def notification_record(
    *,
    kind: str,
    recipient: User,
    key: str,
    subject: models.Model | None = None,
    context: dict | None = None,
) -> Notification | None:
    """Record that `recipient` must be told; call it inside the transaction of the change.
    `subject` is what the notice is about (its kind's builder reads it at sending time).
    The same key recorded twice is kept once (returns None the second time)."""
    registry.kind(kind)  # a kind no app declares is a programming error, said at once
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind, recipient=recipient, key=key, subject=subject, context=context or {}
            )
    except IntegrityError:
        return None
    transaction.on_commit(partial(_enqueue, notification.pk))
    return notification


def notification_row(
    *,
    kind: str,
    recipient_id: int,
    key: str,
    subject: models.Model | None = None,
    context: dict | None = None,
) -> Notification:
    """An unsaved notice for `notifications_record_many` (planners record in bulk)."""
    row = Notification(kind=kind, recipient_id=recipient_id, key=key, context=context or {})
    if subject is not None:
        row.subject_type = ContentType.objects.get_for_model(subject)
        row.subject_id = subject.pk
    return row


def notifications_record_many(rows: list[Notification]) -> int:
    """Insert the notices not recorded yet; returns how many were new. Keys already there
    are left out first, so a planner's tick that finds nothing new writes nothing; the
    unique key still settles a race between two beats. The sending loop picks them up
    (planners run inside it, so there is nothing to queue)."""
    fresh = []
    for i in range(0, len(rows), 1000):
        chunk = rows[i : i + 1000]
        known = set(
            Notification.objects.filter(key__in=[row.key for row in chunk]).values_list(
                "key", flat=True
            )
        )
        fresh += [row for row in chunk if row.key not in known]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
    return len(fresh)


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
