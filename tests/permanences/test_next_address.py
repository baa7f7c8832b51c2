"""A form's `next` that is not a path of this site (a bare word, a number) sends the
reader to the form's usual page, not to a 500: redirect() would take the word for the
name of a view."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_value", ["abc", "0", "é"])
@pytest.mark.parametrize("url", ["/en/me/calendar/renew/", "/en/me/calendar/revoke/"])
def test_the_calendar_forms_go_back_to_my_bookings_after_a_next_that_is_no_path(
    client, entrepreneur, url, next_value
):
    client.force_login(entrepreneur)
    response = client.post(url, {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == "/en/me/bookings/"


def test_the_calendar_form_still_goes_back_to_the_page_it_was_sent_from(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post("/en/me/calendar/renew/", {"next": "/en/me/bookings/?x=1"})
    assert response["Location"] == "/en/me/bookings/?x=1"
