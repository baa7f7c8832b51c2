"""A private calendar address with a NUL character is not found, on PostgreSQL too (which
refuses the character in a query: a 500 before)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["%00", "a%00b"])
def test_a_calendar_address_with_a_nul_character_is_not_found(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404
