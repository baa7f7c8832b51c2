"""Issuing, checking and revoking agency tokens; registering webhook endpoints."""

import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from incubators.models import Advisor, Agency

from .delivery import AddressRefused, check_address, deliveries_enqueue
from .events import EVENTS, PING
from .models import AgencyToken, WebhookDelivery, WebhookEndpoint

KEY_PREFIX = "hub_"
# How often a token's "last used" is written: not on every call, which would make each
# read of the API a write.
LAST_USE_PRECISION = datetime.timedelta(minutes=1)


def _hash(key: str) -> str:
    # A random 256-bit key needs no slow hash: nothing short enough to guess is hashed.
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(
    *,
    agency: Agency,
    name: str,
    scope: str = AgencyToken.Scope.READ,
    expires_at: datetime.datetime | None = None,
    acts_as: Advisor | None = None,
    by: User | None = None,
) -> tuple[AgencyToken, str]:
    """A new token for `agency`; returns it with its key, which is not kept anywhere. A
    write token acts as one of the agency's active advisors."""
    acts_for_agency = acts_as is not None and acts_as.agency_id == agency.pk and acts_as.is_active
    if scope == AgencyToken.Scope.WRITE and not acts_for_agency:
        raise ValueError("A write token acts as an active advisor of its agency.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = AgencyToken.objects.create(
        agency=agency,
        name=name,
        scope=scope,
        expires_at=expires_at,
        acts_as=acts_as if scope == AgencyToken.Scope.WRITE else None,
        prefix=key[: len(KEY_PREFIX) + 8],
        key_hash=_hash(key),
        created_by=by,
    )
    return token, key


def token_revoke(*, token: AgencyToken, now: datetime.datetime | None = None) -> bool:
    """Revoke the token from now on; False if it already was."""
    now = now or timezone.now()
    return bool(
        AgencyToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    )


def token_authenticate(key: str, *, now: datetime.datetime | None = None) -> AgencyToken | None:
    """The active token with this key (and its agency), or None; notes its use."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    now = now or timezone.now()
    # Looked up by the key's hash: a unique index, and no comparison of secrets in Python.
    token = (
        AgencyToken.objects.select_related("agency", "acts_as__user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        AgencyToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


SECRET_PREFIX = "whsec_"


def webhook_url_check(url: str) -> None:
    """An address the portal may call: https, on the public internet (a private or local
    address would let the API reach the portal's own network), unless WEBHOOKS_ALLOW_LOCAL
    (development and tests). Raises ValidationError, in the active language."""
    if settings.WEBHOOKS_ALLOW_LOCAL:
        if not url.startswith(("http://", "https://")):
            raise ValidationError(_("Give an http:// or https:// address."), code="scheme")
        return
    if not url.startswith("https://"):
        raise ValidationError(
            _("Give an https:// address: deliveries are encrypted."), code="scheme"
        )
    try:
        check_address(url)
    except AddressRefused:
        raise ValidationError(
            _("This address is not on the public internet; give one the portal can reach."),
            code="address",
        ) from None


def webhook_events_check(events: list[str]) -> list[str]:
    unknown = [event for event in events if event not in EVENTS]
    if unknown:
        raise ValidationError(
            _("Unknown events: %(events)s.") % {"events": ", ".join(map(str, unknown))},
            code="events",
        )
    if not events:
        raise ValidationError(_("Choose at least one event."), code="events")
    return sorted(set(events))


def webhook_register(
    *,
    agency: Agency,
    url: str,
    events: list[str],
    description: str = "",
    by: User | None = None,
) -> WebhookEndpoint:
    """A new endpoint for `agency`, with a fresh secret (shown to whoever registers it)."""
    webhook_url_check(url)
    return WebhookEndpoint.objects.create(
        agency=agency,
        url=url,
        events=webhook_events_check(events),
        description=description,
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
        created_by=by,
    )


def webhook_secret_roll(*, endpoint: WebhookEndpoint) -> str:
    """A new secret; the old one stops signing at once."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    return secret


def webhook_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A "ping" event to this endpoint alone, to try it."""
    event_id = uuid.uuid4()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=PING,
        event_id=event_id,
        payload={
            "id": str(event_id),
            "type": PING,
            "created_at": timezone.localtime().isoformat(),
            "data": {"endpoint": endpoint.pk},
        },
    )
    transaction.on_commit(lambda: deliveries_enqueue(pks=[delivery.pk]))
    return delivery
