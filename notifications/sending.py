"""Sending what the outbox holds.

A batch of notifications is claimed with one conditional update (due -> sending, stamped
with a fresh claim token) before anything is sent, so two workers, two beats or a
re-delivered task send each message once. Several senders can work through a backlog side
by side (NOTIFICATIONS_SENDERS): each claims the next due batch, and on PostgreSQL skips
the rows another one is claiming (FOR UPDATE SKIP LOCKED) rather than waiting for them.
Each message is marked sent right after the mail server accepted it, so a worker killed
mid-batch leaves only the unsent ones, which are taken again once their claim is stale.
The object is checked again first (a booking cancelled in the meantime gets no reminder).
A failure is retried with back-off; after MAX_ATTEMPTS it stays failed, visible in the
admin with its error and a resend action.
"""

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import registry
from .emails import build_email
from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BATCH = 100


def stale_claim() -> datetime.timedelta:
    """A claim older than this belongs to a worker that died while sending."""
    return datetime.timedelta(seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS)


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(2**attempts, 240))


def _due(now: datetime.datetime) -> Q:
    return Q(state=Notification.State.PENDING, next_attempt_at__lte=now) | Q(
        state=Notification.State.SENDING, claimed_at__lt=now - stale_claim()
    )


def _due_in_order(now: datetime.datetime) -> QuerySet:
    """What is due, in the order it is sent: the longest waiting first."""
    return Notification.objects.filter(_due(now)).order_by("next_attempt_at", "pk")


def _claim(candidates: QuerySet, now: datetime.datetime) -> list[Notification]:
    """Mark the due ones among `candidates` as this sender's, and load them with what they
    are about."""
    token = uuid.uuid4()
    claimed = candidates.filter(_due(now)).update(
        state=Notification.State.SENDING,
        claimed_at=now,
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return []
    return list(
        Notification.objects.filter(claim_token=token)
        .select_related("recipient")
        # What each notice is about, one query per model, as its app asked (registry).
        .prefetch_related(GenericPrefetch("subject", registry.subject_querysets()))
        .order_by("pk")
    )


def notifications_claim(
    *, pks: list[int], now: datetime.datetime | None = None
) -> list[Notification]:
    """Take the due ones among `pks` for this worker; the others are someone else's."""
    return _claim(Notification.objects.filter(pk__in=pks), now or timezone.now())


def notifications_claim_due(
    *, limit: int = BATCH, now: datetime.datetime | None = None
) -> list[Notification]:
    """Take the next `limit` due notifications for this sender, oldest first. Rows another
    sender is claiming at this instant are skipped, not waited for (PostgreSQL); where the
    database cannot skip locked rows, the conditional update still gives each row to one
    sender only."""
    now = now or timezone.now()
    due = _due_in_order(now)
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    with transaction.atomic():
        return _claim(Notification.objects.filter(pk__in=due.values("pk")[:limit]), now)


def _finish(notification: Notification, **fields) -> None:
    Notification.objects.filter(
        pk=notification.pk,
        state=Notification.State.SENDING,
        claim_token=notification.claim_token,
    ).update(**fields)


def notifications_send(*, pks: list[int]) -> int:
    """Send the due notifications among `pks` over one mail connection. Returns how many
    were sent; the rest were not due, no longer relevant, or will be retried."""
    return _send_claimed(notifications_claim(pks=pks))


def _send_claimed(claimed: list[Notification]) -> int:
    """Send what this sender claimed, over one mail connection."""
    if not claimed:
        return 0
    sent = 0
    connection = get_connection()
    try:
        for notification in claimed:
            try:
                message = build_email(notification)
                if message is None:
                    _finish(notification, state=Notification.State.SKIPPED)
                    continue
                # Opened once and kept for the batch (a backend closes a connection it
                # opened itself after each message); reopened after a failure.
                connection.open()
                message.connection = connection
                message.send()
            except Exception as exc:  # noqa: BLE001 - any failure is retried, then shown
                logger.warning("Notification %s failed: %s", notification.pk, exc)
                failed = notification.attempts >= MAX_ATTEMPTS
                _finish(
                    notification,
                    state=Notification.State.FAILED if failed else Notification.State.PENDING,
                    next_attempt_at=timezone.now() + retry_delay(notification.attempts),
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                )
                # The connection may be broken: the next message opens a new one.
                connection.close()
                continue
            _finish(
                notification,
                state=Notification.State.SENT,
                sent_at=timezone.now(),
                last_error="",
            )
            sent += 1
    finally:
        connection.close()
    return sent


def notification_send(*, pk: int) -> bool:
    """Send one notification if it is due and nobody else is sending it. True if sent."""
    return notifications_send(pks=[pk]) == 1


def notifications_due(*, limit: int = BATCH, now: datetime.datetime | None = None) -> list[int]:
    return list(_due_in_order(now or timezone.now()).values_list("pk", flat=True)[:limit])


def notifications_plan() -> int:
    """Record what has become due: reminders, agendas, digests (each app's planners)."""
    return registry.plan_all(now=timezone.now())


def notifications_send_due(*, seconds: float | None = None) -> int:
    """Send whatever is due or was left behind, batch after batch, for at most `seconds`
    (NOTIFICATIONS_DISPATCH_SECONDS by default: the next tick goes on where this stopped).
    Several of these can run at once, each on batches of its own."""
    deadline = time.monotonic() + (
        settings.NOTIFICATIONS_DISPATCH_SECONDS if seconds is None else seconds
    )
    sent = 0
    while time.monotonic() < deadline:
        claimed = notifications_claim_due()
        if not claimed:
            break
        sent += _send_claimed(claimed)
    return sent


def notifications_dispatch(*, seconds: float | None = None) -> int:
    """What beat runs every minute, in one sender: plan, then send what is due."""
    notifications_plan()
    return notifications_send_due(seconds=seconds)
