"""A period's dates at the ends of the calendar are a form error in the reader's
language, never a 500: the coordination overview and its CSVs, and the survey results
(coordinator's and agency's) and their CSVs, the cockpit and its CSV."""

import pytest

from accounts.models import Role
from accounts.services import user_set_role
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["since=0001-01-01", "until=9999-12-31", "since=9999-12-31&until=0001-01-01"]


@pytest.mark.parametrize("query", HOSTILE)
def test_the_coordinators_pages_refuse_dates_out_of_range_politely(client, query):
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))
    for url in (
        "/fr/coordination/overview/",
        "/fr/coordination/overview/needs.csv",
        "/fr/coordination/overview/routing.csv",
        "/fr/coordination/surveys/",
        "/fr/coordination/surveys/?format=csv&",
        "/fr/coordination/cockpit/",
        "/fr/coordination/cockpit/?format=csv&",
    ):
        response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
        assert response.status_code < 500, url
    page = client.get(f"/fr/coordination/overview/?{query}").content.decode()
    assert "Choisissez une date entre" in page


@pytest.mark.parametrize("query", HOSTILE)
def test_the_agencys_survey_results_refuse_dates_out_of_range_politely(client, query):
    client.force_login(AdvisorFactory().user)
    for url in ("/nl/agency/surveys/", "/nl/agency/surveys/?format=suggestions-csv&"):
        response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
        assert response.status_code < 500, url
