"""Sending webhook deliveries: signed, claimed before sending, retried with back-off.

As with the notices' outbox (notifications.sending), a batch is claimed with one
conditional update (due -> sending, stamped with a claim token), so two workers or a
re-delivered task post each delivery once; a worker that dies mid-batch leaves its
claims to be taken again once stale. Each request is signed like Stripe's and GitHub's:

    X-Hub-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

A 2xx answer is a delivery; anything else (another status, a redirect, a timeout, an
address refused) is retried after 1, 2, 4 … minutes (at most WEBHOOKS_MAX_DELAY_MINUTES),
and given up after WEBHOOKS_MAX_ATTEMPTS. An endpoint whose last WEBHOOKS_DISABLE_AFTER
deliveries were all given up is stopped, and the agency is told (api.notices); the
coordinator starts it again in the admin, where every delivery shows its answer and can
be sent again.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from incubators.models import Advisor
from notifications.services import notification_record

from . import notices
from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

BATCH = 50
SIGNATURE_HEADER = "X-Hub-Signature"
RESPONSE_KEPT = 2000
STALE_CLAIM = datetime.timedelta(minutes=10)


class AddressRefused(Exception):
    """The endpoint's host is on a private or local network (a request forgery risk)."""


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of the signature header for this body at this time."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(
        minutes=min(2 ** max(attempts - 1, 0), settings.WEBHOOKS_MAX_DELAY_MINUTES)
    )


def check_address(url: str) -> None:
    """Refuse a host that resolves to a private, loopback, link-local or reserved
    address, unless WEBHOOKS_ALLOW_LOCAL (development and tests)."""
    if settings.WEBHOOKS_ALLOW_LOCAL:
        return
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise AddressRefused("only https:// addresses are called")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise AddressRefused(f"the host does not resolve ({exc})") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise AddressRefused(f"{parts.hostname} is on a private or local network")


def _due(now: datetime.datetime) -> Q:
    return Q(endpoint__is_active=True) & (
        Q(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
        | Q(state=WebhookDelivery.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )


def _claim(pks, now: datetime.datetime) -> list[WebhookDelivery]:
    token = uuid.uuid4()
    due = WebhookDelivery.objects.filter(_due(now), pk__in=pks).values("pk")
    claimed = WebhookDelivery.objects.filter(pk__in=due).update(
        state=WebhookDelivery.State.SENDING,
        claimed_at=now,
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return []
    return list(
        WebhookDelivery.objects.filter(claim_token=token)
        .select_related("endpoint__agency")
        .order_by("pk")
    )


def _finish(delivery: WebhookDelivery, **fields) -> bool:
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery.pk,
            state=WebhookDelivery.State.SENDING,
            claim_token=delivery.claim_token,
        ).update(**fields)
    )


def _post(delivery: WebhookDelivery, session: requests.Session) -> tuple[int | None, str, str]:
    """(status, response text, error) of one attempt."""
    endpoint = delivery.endpoint
    try:
        check_address(endpoint.url)
        body = body_of(delivery)
        response = session.post(
            endpoint.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "hub_eu-webhooks/1",
                "X-Hub-Event": delivery.event,
                "X-Hub-Delivery": str(delivery.event_id),
                SIGNATURE_HEADER: sign(
                    secret=endpoint.secret, timestamp=int(time.time()), body=body
                ),
            },
            timeout=settings.WEBHOOKS_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except (AddressRefused, requests.RequestException) as exc:
        return None, "", _readable(exc, endpoint.url)
    text = response.text[:RESPONSE_KEPT]
    if 200 <= response.status_code < 300:
        return response.status_code, text, ""
    if 300 <= response.status_code < 400:
        where = response.headers.get("Location", "")
        return (
            response.status_code,
            text,
            f"HTTP {response.status_code}: redirects are not followed ({where})"[:RESPONSE_KEPT],
        )
    return response.status_code, text, f"HTTP {response.status_code}"


def _readable(exc: Exception, url: str) -> str:
    """What went wrong, for the log (requests' own messages speak of its internal retries)."""
    host = urlsplit(url).netloc
    if isinstance(exc, AddressRefused):
        message = f"Address refused: {exc}"
    elif isinstance(exc, requests.Timeout):
        message = f"No answer from {host} within {settings.WEBHOOKS_TIMEOUT_SECONDS:g} s"
    elif isinstance(exc, requests.ConnectionError):
        message = f"Could not connect to {host} (refused, unreachable or no such host)"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return message[:RESPONSE_KEPT]


def _send_claimed(claimed: list[WebhookDelivery]) -> int:
    delivered = 0
    with requests.Session() as session:
        for delivery in claimed:
            started = time.monotonic()
            status, text, error = _post(delivery, session)
            fields = {
                "response_status": status,
                "response_body": text,
                "duration_ms": int((time.monotonic() - started) * 1000),
                "claim_token": None,
            }
            if not error:
                if _finish(
                    delivery,
                    state=WebhookDelivery.State.DELIVERED,
                    delivered_at=timezone.now(),
                    last_error="",
                    **fields,
                ):
                    delivered += 1
                    WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(failures=0)
                continue
            logger.warning("Webhook delivery %s failed: %s", delivery.pk, error)
            given_up = delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS
            if (
                _finish(
                    delivery,
                    state=WebhookDelivery.State.FAILED
                    if given_up
                    else WebhookDelivery.State.PENDING,
                    next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
                    last_error=error,
                    **fields,
                )
                and given_up
            ):
                _count_failure(delivery.endpoint)
    return delivered


def _count_failure(endpoint: WebhookEndpoint) -> None:
    """One more delivery given up; at WEBHOOKS_DISABLE_AFTER in a row the endpoint stops
    (once: the conditional update decides who stops it) and the agency is told."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures=F("failures") + 1)
        now = timezone.now()
        stopped = WebhookEndpoint.objects.filter(
            pk=endpoint.pk, is_active=True, failures__gte=settings.WEBHOOKS_DISABLE_AFTER
        ).update(is_active=False, disabled_at=now)
        if stopped:
            for person in _to_tell(endpoint):
                notification_record(
                    kind=notices.WEBHOOK_STOPPED,
                    recipient=person,
                    subject=endpoint,
                    key=f"webhook_stopped:{endpoint.pk}:{now.isoformat()}:user:{person.pk}",
                )


def _to_tell(endpoint: WebhookEndpoint) -> list[User]:
    """The agency's active staff, and whoever registered the endpoint."""
    people = {
        advisor.user.pk: advisor.user
        for advisor in Advisor.objects.filter(
            agency_id=endpoint.agency_id, is_active=True, user__is_active=True
        ).select_related("user")
    }
    if endpoint.created_by_id and endpoint.created_by.is_active:
        people.setdefault(endpoint.created_by_id, endpoint.created_by)
    return list(people.values())


def deliveries_send(*, pks: list[int]) -> int:
    """Send the due deliveries among `pks`; returns how many were delivered."""
    return _send_claimed(_claim(pks, timezone.now()))


def deliveries_send_due(*, seconds: float = 50.0) -> int:
    """Send what is due, batch after batch, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    delivered = 0
    while time.monotonic() < deadline:
        now = timezone.now()
        pks = list(
            WebhookDelivery.objects.filter(_due(now))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        claimed = _claim(pks, now) if pks else []
        if not claimed:
            break
        delivered += _send_claimed(claimed)
    return delivered


def deliveries_enqueue(*, pks: list[int]) -> None:
    """Hand new deliveries to a worker once the change is committed. With the broker
    down, the minute-by-minute dispatcher sends them later."""
    from .tasks import send_webhooks

    try:
        send_webhooks.apply_async(args=[pks], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the dispatcher catches up
        logger.warning("Webhooks %s not queued (%s); the dispatcher will send them.", pks, exc)


def deliveries_resend(*, pks: list[int]) -> int:
    """The coordinator's "send again": the same event (same id, same body), due now with
    a fresh set of attempts. A delivery being sent at this moment is left alone."""
    with transaction.atomic():
        again = list(
            WebhookDelivery.objects.filter(pk__in=pks)
            .exclude(state=WebhookDelivery.State.SENDING)
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=again).update(
            state=WebhookDelivery.State.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            claim_token=None,
        )
        if again:
            transaction.on_commit(lambda: deliveries_enqueue(pks=again))
    return len(again)


def endpoint_restart(*, endpoint: WebhookEndpoint) -> bool:
    """Start a stopped (or switched off) endpoint again; what waited for it is sent.
    False if it was running already."""
    return bool(
        WebhookEndpoint.objects.filter(pk=endpoint.pk)
        .filter(Q(is_active=False) | Q(failures__gt=0))
        .update(is_active=True, failures=0, disabled_at=None)
    )
