"""Issuing, checking and revoking agency tokens."""

import datetime
import hashlib
import secrets

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from incubators.models import Advisor, Agency

from .models import AgencyToken

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
