import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, language="fr", email="nina@example.org", **extra):
    data = {
        "first_name": "Nina",
        "last_name": "Peeters",
        "email": email,
        "language": language,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(f"/{language}/accounts/signup/", data)


def test_signing_up_sends_a_verification_email_in_the_chosen_language(client):
    response = _signup(client, language="nl")
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.org")
    assert (user.first_name, user.language) == ("Nina", "nl")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina@example.org"]
    assert "Bevestig" in message.subject or "bevestig" in message.body
    assert re.search(r"/nl/accounts/confirm-email/\S+", message.body)


def test_an_unverified_user_cannot_log_in_until_they_open_the_link(client):
    _signup(client, language="en")
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": "nina@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert "_auth_user_id" not in client.session

    link = re.search(r"http://testserver(/en/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_the_sign_up_form_says_what_is_wrong_in_french(client):
    response = _signup(client, language="fr", email="not-an-email", password2="different")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in content
    assert "Vous devez saisir deux fois le même mot de passe." in content
    assert not User.objects.exists()


def test_signing_up_with_a_taken_email_reveals_nothing_but_tells_the_owner(client):
    UserFactory(email="taken@example.org", language="en")
    response = _signup(client, language="fr", email="taken@example.org")
    assert response.status_code == 302
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox[0].to == ["taken@example.org"]


def test_after_five_failed_logins_even_the_right_password_is_refused_for_a_while(client):
    UserFactory(email="target@example.org")
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"login": "target@example.org", "password": "wrong"})
    response = client.post(
        "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_goes_through_the_rate_limited_form(client):
    response = client.get("/en/admin/login/?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_admin_is_closed_to_a_logged_in_entrepreneur(client):
    client.force_login(UserFactory())
    assert client.get("/en/admin/").status_code in (302, 403)
    assert client.get("/en/admin/incubators/company/").status_code in (302, 403)


def test_a_user_changes_their_preferred_language(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    response = client.post(
        "/fr/me/profile/", {"first_name": "Ana", "last_name": "Lopes", "language": "nl"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/nl/me/profile/"
    user.refresh_from_db()
    assert user.language == "nl"
