import datetime

import pytest
from django.utils import timezone

from api.models import AgencyToken
from api.services import token_authenticate, token_issue, token_revoke

pytestmark = pytest.mark.django_db


def test_a_token_is_kept_only_as_its_hash_and_its_key_finds_it(two_agencies):
    agency, _other = two_agencies
    token, key = token_issue(agency=agency, name="CRM")
    stored = AgencyToken.objects.get()
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)
    assert token_authenticate(key) == token
    assert token_authenticate(key + "x") is None
    assert token_authenticate("not-a-key") is None


def test_a_revoked_or_expired_token_no_longer_authenticates(two_agencies):
    agency, _other = two_agencies
    revoked, revoked_key = token_issue(agency=agency, name="old")
    assert token_revoke(token=revoked) and not token_revoke(token=revoked)
    past = timezone.now() - datetime.timedelta(minutes=1)
    _expired, expired_key = token_issue(agency=agency, name="trial", expires_at=past)
    assert token_authenticate(revoked_key) is None
    assert token_authenticate(expired_key) is None


def test_the_last_use_is_noted_at_most_once_a_minute(two_agencies):
    agency, _other = two_agencies
    token, key = token_issue(agency=agency, name="CRM")
    now = timezone.now()
    token_authenticate(key, now=now)
    token_authenticate(key, now=now + datetime.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == now
    later = now + datetime.timedelta(minutes=2)
    token_authenticate(key, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_the_coordinator_issues_a_token_in_the_admin_and_sees_its_key_once(client, two_agencies):
    from tests.factories import AdvisorFactory, UserFactory

    agency, _other = two_agencies
    advisor = AdvisorFactory(agency=agency)
    coordinator = UserFactory(role="coordinator", is_staff=True, is_superuser=True)
    client.force_login(coordinator)
    form = {"agency": agency.pk, "name": "CRM sync", "scope": "write"}
    refused = client.post("/en/admin/api/agencytoken/add/", form)
    assert "A write token needs an advisor to act as." in refused.content.decode()
    response = client.post(
        "/en/admin/api/agencytoken/add/",
        {**form, "acts_as": advisor.pk, "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = AgencyToken.objects.get()
    page = response.content.decode()
    assert token.prefix in page and "will not be shown again" in page
    assert (token.scope, token.created_by, token.acts_as) == ("write", coordinator, advisor)
    listing = client.get("/en/admin/api/agencytoken/").content.decode()
    assert "will not be shown again" not in listing
    client.post(
        "/en/admin/api/agencytoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_calls_over_a_tokens_budget_get_a_clear_429(api, two_agencies, token_for, settings):
    agency, _other = two_agencies
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "anonymous": None},
    }
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(agency)}")
    statuses = [api.get("/api/v1/needs/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    over = api.get("/api/v1/needs/", HTTP_ACCEPT_LANGUAGE="fr")
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert "Requête ralentie" in over.json()["detail"] or "secondes" in over.json()["detail"]
    # Another agency's token has its own budget.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(_other)}")
    assert api.get("/api/v1/needs/").status_code == 200


def test_every_call_is_logged_with_its_token_and_answer(api, two_agencies, token_for, caplog):
    agency, _other = two_agencies
    key = token_for(agency)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    with caplog.at_level("INFO", logger="api.calls"):
        api.get("/api/v1/needs/?status=all")
        api.credentials()
        api.get("/api/v1/needs/")
    lines = [record.getMessage() for record in caplog.records if record.name == "api.calls"]
    assert lines[0].startswith("GET /api/v1/needs/?status=all 200")
    assert f"token={key[:12]} agency={agency.slug}" in lines[0]
    assert key not in "".join(lines)
    assert lines[1].startswith("GET /api/v1/needs/ 401") and lines[1].endswith("anonymous")
