"""Hostile input that Django's own admin answered with a 500 (hub_eu/core/admin_input.py):
the admin's usual answers instead, a form error, the object page or the changelist's ?e=1."""

import pytest

from accounts.models import Role
from accounts.services import user_set_role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))


@pytest.mark.parametrize("view", ["change", "delete"])
def test_an_empty_to_field_opens_the_object_page(client, coordinator, view):
    agency = AgencyFactory()
    response = client.get(f"/en/admin/incubators/agency/{agency.pk}/{view}/", {"_to_field": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["abc", "99999999999999999999"])
def test_an_autocomplete_field_given_no_key_is_a_form_error(client, coordinator, value):
    response = client.post("/en/admin/incubators/advisor/add/", {"user": value, "agency": value})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


def test_a_multiple_choice_of_a_number_too_large_for_the_database_is_a_form_error(
    client, coordinator, reference_data
):
    response = client.post("/en/admin/needs/routingrule/add/", {"agencies": "99999999999999999999"})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


def test_a_list_filter_date_out_of_the_databases_range_is_no_server_error(client, coordinator):
    # SQLite cannot hold the date in UTC (the changelist's ?e=1); PostgreSQL can.
    response = client.get(
        "/en/admin/notifications/notification/", {"created_at__gte": "0001-01-01"}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


def test_a_list_filter_value_with_a_nul_character_is_no_server_error(client, coordinator):
    # PostgreSQL refuses the NUL (the changelist's ?e=1); SQLite finds nothing.
    response = client.get("/en/admin/surveys/survey/", {"kind__exact": "\x00"})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


def test_a_list_edit_of_a_row_whose_key_is_too_large_for_the_database_is_no_server_error(
    client, coordinator, routing_rules
):
    huge = "99999999999999999999"
    response = client.post(
        "/en/admin/needs/routingrule/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": huge,
            "form-0-is_active": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
