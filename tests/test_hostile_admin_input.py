"""Hostile input to the coordinator's admin answers a page with a clear message, never a
500: a week at the ends of the calendar, and files that are not spreadsheets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.services import user_set_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-02", "2026-02-30", "\x00"])
def test_the_week_view_at_the_ends_of_the_calendar_shows_this_week(client, coordinator, week):
    response = client.get("/en/admin/permanences/permanenceschedule/week/", {"week": week})
    assert response.status_code == 200


GARBAGE = [
    ("garbage.csv", bytes(range(128, 256)) * 40, "This file is not text"),
    ("huge.csv", b"name;enterprise_number\n" + b"x" * 1_000_000 + b";0\n", "cannot be read as CSV"),
]


@pytest.mark.parametrize("name,content,message", GARBAGE)
@pytest.mark.parametrize(
    "url", ["/en/admin/incubators/membership/import/", "/en/admin/needs/need/import/"]
)
def test_the_imports_refuse_a_file_that_is_not_a_spreadsheet_politely(
    client, coordinator, reference_data, url, name, content, message
):
    response = client.post(url, {"file": SimpleUploadedFile(name, content), "dry_run": "on"})
    assert response.status_code == 200
    assert message in response.content.decode()
