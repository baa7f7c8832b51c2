"""The tenancy matrix: every endpoint, called anonymously, with agency A's token (read or
write), with a revoked, expired, unknown or malformed token, and about agency B's data."""

import datetime

import pytest
from django.urls import get_resolver
from django.utils import timezone

from api.models import WebhookEndpoint
from api.services import token_issue, token_revoke, webhook_ping, webhook_register
from needs.models import RoutedNeed

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/api/v1/agencies/",
    "/api/v1/agencies/impulse/",
    "/api/v1/incubators/",
    "/api/v1/slots/",
    "/api/v1/events/",
]
AGENCY_READS = [
    "/api/v1/needs/",
    "/api/v1/needs/{need}/",
    "/api/v1/needs/{need}/messages/",
    "/api/v1/bookings/",
    "/api/v1/bookings/{booking}/",
    "/api/v1/surveys/results/",
    "/api/v1/webhooks/",
    "/api/v1/webhooks/{webhook}/",
    "/api/v1/webhooks/{webhook}/deliveries/",
]
AGENCY_WRITES = [
    ("/api/v1/needs/{need}/status/", {"status": "acknowledged", "note": "We will call you"}),
    ("/api/v1/needs/{need}/messages/", {"body": "Could you send us your business plan?"}),
    ("/api/v1/needs/{need}/transfer/", {"agency": "bie", "reason": "Export question"}),
    ("/api/v1/bookings/{booking}/attendance/", {"attended": True, "outcome": "Loan filed"}),
    ("/api/v1/webhooks/", {"url": "https://crm.example.org/hook", "events": ["need.routed"]}),
    ("/api/v1/webhooks/{webhook}/ping/", {}),
    ("/api/v1/webhooks/{webhook}/deliveries/{delivery}/resend/", {}),
]
# Besides GET, the one endpoint that is changed in place (PATCH) or removed (DELETE).
AGENCY_EDITS = ["/api/v1/webhooks/{webhook}/"]


def _api_v1_routes() -> set[str]:
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "api/":
            for sub in pattern.url_patterns:
                if str(sub.pattern) == "v1/":
                    return {str(p.pattern) for p in sub.url_patterns}
    return set()


def test_the_matrix_covers_every_endpoint_of_the_api():
    def route(path: str) -> str:
        return (
            path.removeprefix("/api/v1/")
            .replace("impulse", "<slug:slug>")
            .replace("{need}", "<int:pk>")
            .replace("{booking}", "<int:pk>")
            .replace("{webhook}", "<int:pk>")
            .replace("{delivery}", "<int:delivery_pk>")
        )

    covered = {route(p) for p in PUBLIC + AGENCY_READS} | {route(p) for p, _ in AGENCY_WRITES}
    assert _api_v1_routes() == covered


@pytest.fixture
def world(two_agencies, need_routed_to, booking_at):
    a, b = two_agencies
    webhook_a, webhook_b = (
        webhook_register(agency=agency, url="https://crm.example.org/", events=["need.routed"])
        for agency in (a, b)
    )
    return {
        "a": a,
        "b": b,
        "need_a": need_routed_to(a),
        "need_b": need_routed_to(b),
        "booking_a": booking_at(a),
        "booking_b": booking_at(b),
        "webhook_a": webhook_a,
        "webhook_b": webhook_b,
        "delivery_a": webhook_ping(endpoint=webhook_a),
        "delivery_b": webhook_ping(endpoint=webhook_b),
    }


def _path(template: str, world: dict, side: str) -> str:
    return template.format(
        **{name: world[f"{name}_{side}"].pk for name in ("need", "booking", "webhook", "delivery")}
    )


@pytest.mark.parametrize("path", PUBLIC)
def test_public_endpoints_answer_anyone(api, reference_data, path):
    assert api.get(path).status_code == 200


def test_agency_endpoints_answer_401_to_anonymous_and_change_nothing(api, world):
    for template in AGENCY_READS:
        response = api.get(_path(template, world, "a"))
        assert response.status_code == 401, template
        assert response["WWW-Authenticate"].startswith("Bearer")
    for template, body in AGENCY_WRITES:
        assert api.post(_path(template, world, "a"), body, format="json").status_code == 401
    for template in AGENCY_EDITS:
        assert api.delete(_path(template, world, "a")).status_code == 401
    assert RoutedNeed.objects.get(pk=world["need_a"].pk).status == "new"


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "malformed"])
def test_a_bad_token_gets_401_everywhere(api, world, state):
    agency = world["a"]
    if state == "revoked":
        token, key = token_issue(agency=agency, name="old")
        token_revoke(token=token)
    elif state == "expired":
        _token, key = token_issue(
            agency=agency, name="trial", expires_at=timezone.now() - datetime.timedelta(days=1)
        )
    elif state == "unknown":
        key = "hub_" + "x" * 43
    else:
        key = "two words"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    for template in AGENCY_READS + PUBLIC:
        assert api.get(_path(template, world, "a")).status_code == 401, template
    for template, body in AGENCY_WRITES:
        assert api.post(_path(template, world, "a"), body, format="json").status_code == 401


def test_agency_as_token_never_reads_or_changes_anything_of_agency_b(api, world, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world['a'], scope='write')}")
    needs = api.get("/api/v1/needs/?status=all").json()["results"]
    assert [row["id"] for row in needs] == [world["need_a"].pk]
    bookings = api.get("/api/v1/bookings/").json()["results"]
    assert [row["id"] for row in bookings] == [world["booking_a"].pk]
    for template in AGENCY_READS:
        if "{" in template:
            assert api.get(_path(template, world, "a")).status_code == 200, template
            other = api.get(_path(template, world, "b"), HTTP_ACCEPT_LANGUAGE="nl")
            assert other.status_code == 404, template
            # The same answer as for an id that exists nowhere, in the caller's language.
            assert other.json() == {"detail": "Niet gevonden."}, template
    for template, body in AGENCY_WRITES:
        if "{" in template:
            response = api.post(_path(template, world, "b"), body, format="json")
            assert response.status_code == 404, template
    for template in AGENCY_EDITS:
        path = _path(template, world, "b")
        assert api.patch(path, {"url": "https://evil.example.org/"}).status_code == 404
        assert api.delete(path).status_code == 404
    need_b = RoutedNeed.objects.get(pk=world["need_b"].pk)
    assert (need_b.status, need_b.messages.count()) == ("new", 0)
    webhook_b = WebhookEndpoint.objects.get(pk=world["webhook_b"].pk)
    assert webhook_b.url == "https://crm.example.org/"
    # Its own ping and B's need: nothing of A's calls reached it.
    assert sorted(webhook_b.deliveries.values_list("event", flat=True)) == ["need.routed", "ping"]
    assert not WebhookEndpoint.objects.filter(agency=world["b"]).exclude(pk=webhook_b.pk)


def test_a_read_token_cannot_write(api, world, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world['a'])}")
    for template, body in AGENCY_WRITES:
        assert api.post(_path(template, world, "a"), body, format="json").status_code == 403
    for template in AGENCY_EDITS:
        path = _path(template, world, "a")
        assert api.patch(path, {"is_active": False}, format="json").status_code == 403
        assert api.delete(path).status_code == 403
    assert RoutedNeed.objects.get(pk=world["need_a"].pk).status == "new"
    assert WebhookEndpoint.objects.filter(agency=world["a"], is_active=True).count() == 1


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_endpoint_accepts_a_method_it_does_not_offer(api, world, token_for, method):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world['a'], scope='write')}")
    templates = AGENCY_READS + [template for template, _body in AGENCY_WRITES] + PUBLIC
    for template in templates:
        if template in AGENCY_EDITS and method != "put":
            continue
        response = getattr(api, method)(_path(template, world, "a"), {}, format="json")
        assert response.status_code == 405, template


def test_a_need_no_longer_shared_disappears_from_the_api_as_from_the_inbox(api, world, token_for):
    routed = world["need_a"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world['a'])}")
    assert api.get(f"/api/v1/needs/{routed.pk}/").status_code == 200
    RoutedNeed.objects.filter(pk=routed.pk).update(shared=False)
    assert api.get(f"/api/v1/needs/{routed.pk}/").status_code == 404
    assert api.get("/api/v1/needs/?status=all").json()["results"] == []


def test_a_booking_shows_who_booked_only_with_their_consent(api, world, token_for, booking_at):
    hidden = booking_at(world["a"], consent=False)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world['a'])}")
    shared = api.get(f"/api/v1/bookings/{world['booking_a'].pk}/").json()
    assert shared["entrepreneur"]["email"] == world["booking_a"].user.email
    private = api.get(f"/api/v1/bookings/{hidden.pk}/").json()
    assert (private["entrepreneur"], private["company"]) == (None, None)
    assert world["booking_a"].user.email not in str(private)
