from django.db import IntegrityError, transaction

from accounts.models import User

from .models import Notification


def notification_record(
    *,
    kind: str,
    recipient: User,
    key: str,
    booking=None,
    routed_need=None,
    context: dict | None = None,
) -> Notification | None:
    """Record that `recipient` must be told; call it inside the transaction of the change.
    The same key recorded twice is kept once (returns None the second time)."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                kind=kind,
                recipient=recipient,
                key=key,
                booking=booking,
                routed_need=routed_need,
                context=context or {},
            )
    except IntegrityError:
        return None
