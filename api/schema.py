"""How the OpenAPI schema describes agency tokens."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class AgencyTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.AgencyTokenAuthentication"
    name = "agencyToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An agency token, issued by the coordinator: "
            "`Authorization: Bearer hub_…`.",
        }


SIGNATURE_CHECK = '''
```python
import hashlib, hmac, time


def verified(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """True if `header` (X-Hub-Signature) signs `body` (the raw request body)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp, signature = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old (or from the future): a replay
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, signature)
```
'''


def describe_webhooks(result, generator, request, public):
    """Add the webhooks' events and how to check their signature to the schema's
    description, so /api/docs/ documents them beside the endpoints (in English, as the
    rest of it)."""
    from django.conf import settings
    from django.utils import translation

    from .events import EVENTS

    with translation.override("en"):
        events = "\n".join(f"- `{code}`: {label}" for code, label in EVENTS.items())
    result["info"]["description"] += (
        "\n\n## Webhooks\n"
        "Register an endpoint with `POST /api/v1/webhooks/` (a write token) or ask the "
        "coordinator; the answer holds its signing secret, this once. Each event is POSTed "
        'as JSON: `{"id", "type", "created_at", "data"}`, where `data` is the object as '
        "this API shows it. The `id` is the same when a delivery is sent again: keep it "
        "to handle each event once.\n\n"
        f"{events}\n"
        "- `ping`: A test, sent by `POST /api/v1/webhooks/{id}/ping/`\n\n"
        f"Answer with a 2xx status within {settings.WEBHOOKS_TIMEOUT_SECONDS:g} seconds. "
        "Anything else is tried again after 1, 2, 4 … minutes, "
        f"{settings.WEBHOOKS_MAX_ATTEMPTS} attempts in all. When "
        f"{settings.WEBHOOKS_DISABLE_AFTER} deliveries in a row have failed every attempt, "
        "the endpoint is stopped and the agency is told by email; what happens meanwhile "
        "waits for it until it is started again.\n\n"
        "Each request carries `X-Hub-Event`, `X-Hub-Delivery` (the event's id) and "
        '`X-Hub-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, '
        "signed with the endpoint's secret. Check it on the raw body before trusting it:\n"
        f"{SIGNATURE_CHECK}"
    )
    return result
