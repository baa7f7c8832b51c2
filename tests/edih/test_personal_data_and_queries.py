import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.personal_data import ERASED_TEXT
from accounts.privacy import personal_data_collect, personal_data_purge, user_erase
from edih import services
from edih.models import TestRequest
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_my_data_holds_the_requests_and_erasure_blanks_what_was_written(ask, founder, edih_data):
    ask(founder)
    data = personal_data_collect(user=founder)["sections"]["test_requests"]["data"]
    assert data[0]["goal"] == "Can a vision model sort our returned parcels?"
    assert data[0]["technology"] == "Artificial intelligence"
    user_erase(user=founder)
    test_request = TestRequest.objects.get()
    assert test_request.goal == ERASED_TEXT
    assert test_request.data_available == ERASED_TEXT
    assert test_request.need.description == ERASED_TEXT  # needs' own eraser
    assert test_request.technology == "ai"  # kept for the figures


def test_the_retention_blanks_old_decided_requests_only(ask, founder, edih_advisor, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        **settings.PERSONAL_DATA_RETENTION_DAYS,
        "test_requests": 30,
    }
    old_decided, old_open, recent = ask(founder), ask(founder), ask(founder)
    services.test_request_record_outcome(
        test_request=old_decided,
        agency=edih_advisor.agency,
        by=edih_advisor.user,
        outcome="test_done",
    )
    long_ago = timezone.now() - datetime.timedelta(days=60)
    TestRequest.objects.filter(pk__in=[old_decided.pk, old_open.pk]).update(created_at=long_ago)
    assert personal_data_purge()["test_requests"] == 1
    assert TestRequest.objects.get(pk=old_decided.pk).goal == ERASED_TEXT
    assert TestRequest.objects.get(pk=old_open.pk).goal != ERASED_TEXT
    assert TestRequest.objects.get(pk=recent.pk).goal != ERASED_TEXT
    assert personal_data_purge()["test_requests"] == 0


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_cost_the_same_queries_as_requests_grow(client, ask, founder, edih_advisor):
    from needs.services import routed_need_answer

    def grow(n):
        for _ in range(n):
            test_request = ask(founder)
            routed_need_answer(
                routed=test_request.need.routings.get(), by=edih_advisor.user, body="Hello"
            )

    grow(1)
    client.force_login(founder)
    client.get("/en/test-before-invest/")
    mine = _queries(client, "/en/test-before-invest/")
    client.force_login(edih_advisor.user)
    theirs = _queries(client, "/en/agency/test-requests/")
    grow(4)
    assert _queries(client, "/en/agency/test-requests/") == theirs
    client.force_login(founder)
    assert _queries(client, "/en/test-before-invest/") == mine


def test_a_company_chosen_must_be_the_founders_own(ask, founder, edih_data):
    with pytest.raises(services.RequestRefused):
        ask(founder, company=CompanyFactory())
    solo = UserFactory()
    with pytest.raises(services.RequestRefused):
        ask(solo, company=None, company_name="  ")
