import pytest

from needs.models import RoutedNeed, RoutedNeedEvent
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(api, two_agencies, token_for):
    a, _b = two_agencies
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(a, scope='write')}")
    return api


def test_a_status_change_goes_through_the_service_and_tells_the_entrepreneur(
    write, two_agencies, need_routed_to
):
    routed = need_routed_to(two_agencies[0])
    response = write.post(
        f"/api/v1/needs/{routed.pk}/status/",
        {"status": "in_progress", "note": "Meeting next week"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    event = RoutedNeedEvent.objects.filter(routed=routed).latest("pk")
    advisor = routed.agency.advisors.get()
    assert (event.to_status, event.note, event.actor) == (
        "in_progress",
        "Meeting next week",
        advisor.user,
    )
    assert Notification.objects.filter(recipient=routed.need.user, kind="need_updated").exists()


def test_a_move_the_need_does_not_allow_is_a_409_in_the_callers_language(
    write, two_agencies, need_routed_to
):
    routed = need_routed_to(two_agencies[0])
    assert (
        write.post(
            f"/api/v1/needs/{routed.pk}/status/", {"status": "resolved"}, format="json"
        ).status_code
        == 200
    )
    again = write.post(
        f"/api/v1/needs/{routed.pk}/status/",
        {"status": "acknowledged"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert again.status_code == 409
    assert again.json()["detail"] and "reload" not in again.json()["detail"]
    declined = write.post(
        f"/api/v1/needs/{need_routed_to(two_agencies[0]).pk}/status/",
        {"status": "declined"},
        format="json",
    )
    assert declined.status_code == 409  # declining needs a note the entrepreneur reads


def test_bad_values_get_a_400_naming_the_field(write, two_agencies, need_routed_to):
    routed = need_routed_to(two_agencies[0])
    for path, body, field in [
        ("status", {"status": "lost"}, "status"),
        ("messages", {"body": ""}, "body"),
        ("transfer", {"agency": "nobody", "reason": "x"}, "agency"),
    ]:
        response = write.post(f"/api/v1/needs/{routed.pk}/{path}/", body, format="json")
        assert response.status_code == 400 and field in response.json(), path
    assert (
        write.post(
            f"/api/v1/needs/{routed.pk}/status/", "not json", content_type="application/json"
        ).status_code
        == 400
    )


def test_a_message_reaches_the_entrepreneur_and_acknowledges_a_new_need(
    write, two_agencies, need_routed_to
):
    routed = need_routed_to(two_agencies[0])
    response = write.post(
        f"/api/v1/needs/{routed.pk}/messages/", {"body": "Call us on Monday"}, format="json"
    )
    assert response.status_code == 201 and response.json()["from_agency"] is True
    routed.refresh_from_db()
    assert routed.status == "acknowledged"
    assert Notification.objects.filter(kind="need_answered", recipient=routed.need.user).exists()
    listed = write.get(f"/api/v1/needs/{routed.pk}/messages/").json()
    assert [m["body"] for m in listed] == ["Call us on Monday"]


def test_a_transfer_routes_the_need_to_the_other_agency(write, two_agencies, need_routed_to):
    a, _b = two_agencies
    routed = need_routed_to(a)
    response = write.post(
        f"/api/v1/needs/{routed.pk}/transfer/",
        {"agency": "bie", "reason": "An export question"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "transferred"
    new = RoutedNeed.objects.get(need=routed.need, agency__slug="bie")
    assert (new.status, new.transferred_from) == ("new", routed)
    same = write.post(
        f"/api/v1/needs/{routed.pk}/transfer/", {"agency": "bie", "reason": "x"}, format="json"
    )
    assert same.status_code == 409
