"""The outbox as people and the coordinator meet it: the unsubscribe page, sending a
failed message again, the digests offered in the profile."""

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import user_set_role
from notifications import sending
from notifications.models import Notification
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_tampered_unsubscribe_link_gets_a_clear_page(client):
    response = client.get("/nl/notifications/unsubscribe/not-a-token/")
    assert response.status_code == 400
    assert "Deze afmeldlink is niet geldig" in response.content.decode()
    assert client.post("/nl/notifications/unsubscribe/not-a-token/").status_code == 400


def test_the_coordinator_sends_a_failed_message_again_from_the_admin(client, make_slot, book):
    book(make_slot(days=2), UserFactory())
    notification = Notification.objects.get()
    Notification.objects.filter(pk=notification.pk).update(
        state="failed", attempts=6, last_error="SMTPServerDisconnected: gone"
    )
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))
    listing = client.get("/en/admin/notifications/notification/?state__exact=failed")
    assert "SMTPServerDisconnected: gone" in listing.content.decode()

    response = client.post(
        "/en/admin/notifications/notification/",
        {"action": "send_again", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert "1 message will be sent again." in response.content.decode()
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("pending", 0)
    mail.outbox.clear()
    assert sending.notifications_dispatch(seconds=30) == 1
    notification.refresh_from_db()
    assert notification.state == "sent"


def test_the_profile_offers_the_digests_a_person_can_receive(client):
    advisor = AdvisorFactory(user__language="en")
    client.force_login(advisor.user)
    page = client.get("/en/me/profile/").content.decode()
    assert "daily digest of overdue needs" in page.lower()
    assert "weekly digest" not in page.lower()

    entrepreneur = UserFactory(language="en")
    client.force_login(entrepreneur)
    page = client.get("/en/me/profile/").content.decode()
    assert "digest" not in page.lower()

    client.force_login(advisor.user)
    client.post(
        "/en/me/profile/",
        {"first_name": "A", "last_name": "B", "language": "en", "digest_needs": ""},
    )
    advisor.user.refresh_from_db()
    assert advisor.user.digest_needs is False
