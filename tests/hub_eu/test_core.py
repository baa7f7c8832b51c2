import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives

from hub_eu.core.mailbox import mailbox_get, mailbox_list
from hub_eu.core.tasks import HEARTBEAT_KEY, heartbeat


@pytest.mark.django_db
def test_the_health_check_reports_database_cache_and_worker(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["database"], data["cache"]) == ("ok", "ok", "ok")
    assert data["worker_heartbeat_age_seconds"] is None
    heartbeat()
    assert client.get("/healthz/").json()["worker_heartbeat_age_seconds"] <= 1


def test_the_mailbox_backend_keeps_each_message_readable(settings, tmp_path):
    settings.EMAIL_BACKEND = "hub_eu.mail.MailboxBackend"
    settings.MAILBOX_DIR = tmp_path
    message = EmailMultiAlternatives(
        "Votre permanence", "Bonjour Nina", "hub@example.org", ["nina@example.org"]
    )
    message.attach_alternative("<p>Bonjour <b>Nina</b></p>", "text/html")
    assert mail.get_connection().send_messages([message]) == 1
    [stored] = mailbox_list()
    assert stored.subject == "Votre permanence"
    assert stored.to == "nina@example.org"
    assert "Bonjour Nina" in stored.text
    assert "<b>Nina</b>" in stored.html
    assert mailbox_get(key=stored.key).subject == "Votre permanence"
    assert mailbox_get(key="../../etc/passwd") is None


def test_the_demo_mailbox_page_exists_only_in_debug(client, settings, tmp_path):
    settings.MAILBOX_DIR = tmp_path
    settings.DEBUG = False
    assert client.get("/en/dev/mail/").status_code == 404
    settings.DEBUG = True
    assert client.get("/en/dev/mail/").status_code == 200


def test_a_heartbeat_is_stored_in_the_shared_cache():
    cache.delete(HEARTBEAT_KEY)
    stamp = heartbeat()
    assert cache.get(HEARTBEAT_KEY) == stamp
