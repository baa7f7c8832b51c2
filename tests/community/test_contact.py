"""A signed-in visitor writes to a company through the portal: the message is recorded
and goes by email to each of the company's people, in their language, answering to the
visitor; the company's address is never shown. Rate-limited, and a company can turn it
off."""

import pytest
from django.core import mail

from community import notices, services
from community.models import ContactMessage
from notifications.emails import Email
from notifications.models import Notification
from notifications.sending import notifications_dispatch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _write(client, profile, **data):
    data = {"subject": "A pilot?", "body": "We would like to test your app.", **data}
    return client.post(f"/nl/companies/{profile.slug}/contact/", data)


def test_it_sends_the_message_to_each_person_of_the_company_in_their_language(
    client, company, profile, visitor
):
    colleague = UserFactory(language="nl")
    company.people.add(colleague)
    client.force_login(visitor)
    response = _write(client, profile)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/companies/{profile.slug}/contact/sent/")
    message = ContactMessage.objects.get()
    assert (message.sender, message.sender_email) == (visitor, visitor.email)
    assert message.sender_name == "Pieter Janssens"
    assert Notification.objects.filter(community_message=message).count() == 2

    notifications_dispatch(seconds=30)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    founder_mail = by_recipient[company.people.get(first_name="Colette").email]
    assert founder_mail.subject == "Pixelforge : A pilot? (message via hub.eu)"
    assert "écrit à Pixelforge" in founder_mail.body
    assert visitor.email in founder_mail.body
    assert "We would like to test your app." in founder_mail.body
    assert "schrijft aan Pixelforge" in by_recipient[colleague.email].body


def test_the_email_answers_to_the_visitor(client, profile, visitor):
    client.force_login(visitor)
    _write(client, profile)
    notifications_dispatch(seconds=30)
    [email] = mail.outbox
    assert email.reply_to == [visitor.email]


def test_the_email_builder_asks_for_the_reply_to_when_emails_carry_one(profile, visitor):
    message = services.contact_message_send(
        profile=profile, sender=visitor, subject="Hello", body="Hi"
    )
    email = notices.company_message(Notification.objects.filter(community_message=message)[0])
    assert isinstance(email, Email)
    assert email.reply_to == [visitor.email]
    assert visitor.email in email.lines[0]


def test_the_company_address_is_never_in_the_pages(client, company, profile, visitor):
    founder = company.people.get()
    client.force_login(visitor)
    for url in [
        "/nl/companies/",
        f"/nl/companies/{profile.slug}/",
        f"/nl/companies/{profile.slug}/contact/",
    ]:
        assert founder.email not in client.get(url).content.decode()
    _write(client, profile)
    assert (
        founder.email
        not in client.get(f"/nl/companies/{profile.slug}/contact/sent/").content.decode()
    )


def test_visitors_must_log_in_to_write(client, profile):
    response = _write(client, profile)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ContactMessage.objects.exists()


def test_it_answers_429_over_the_limit(client, settings, profile, visitor):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "company_contact": "2/h/user,20/h/ip"}
    client.force_login(visitor)
    assert _write(client, profile).status_code == 302
    assert _write(client, profile).status_code == 302
    response = _write(client, profile)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert ContactMessage.objects.count() == 2


def test_a_form_with_errors_does_not_count_toward_the_limit(client, settings, profile, visitor):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "company_contact": "1/h/user"}
    client.force_login(visitor)
    assert _write(client, profile, subject="").status_code == 200
    assert _write(client, profile).status_code == 302


def test_a_company_can_turn_contact_off(client, company, profile, visitor, make_profile):
    make_profile(company, contact_enabled=False)
    client.force_login(visitor)
    page = client.get(f"/en/companies/{profile.slug}/").content.decode()
    assert "does not take messages through the portal" in page
    assert client.get(f"/en/companies/{profile.slug}/contact/").status_code == 404
    assert _write(client, profile).status_code == 404
    with pytest.raises(services.CommunityRefused):
        services.contact_message_send(profile=profile, sender=visitor, subject="s", body="b")
    assert not ContactMessage.objects.exists()


def test_an_unpublished_company_cannot_be_written_to(client, company, visitor, make_profile):
    profile = make_profile(company, publish=False)
    client.force_login(visitor)
    assert _write(client, profile).status_code == 404


def test_a_bot_filling_the_hidden_field_sends_nothing(client, profile, visitor):
    client.force_login(visitor)
    response = _write(client, profile, website="http://spam.example")
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()


def test_its_own_people_cannot_write_to_their_company(client, company, profile):
    client.force_login(company.people.get())
    response = _write(client, profile)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/companies/{profile.slug}/"
    )
    assert not ContactMessage.objects.exists()


def test_hostile_message_input_is_a_form_error(client, profile, visitor):
    client.force_login(visitor)
    assert _write(client, profile, body="a\x00b").status_code == 200
    assert _write(client, profile, body="x" * 5000).status_code == 200
    assert _write(client, profile, subject="   ").status_code == 200
    assert not ContactMessage.objects.exists()


def test_the_people_read_the_messages_received_in_their_space(client, company, profile, visitor):
    services.contact_message_send(profile=profile, sender=visitor, subject="Hello", body="Hi!")
    client.force_login(company.people.get())
    page = client.get(f"/en/me/company-profile/{company.pk}/messages/").content.decode()
    assert "Hello" in page and "Pieter Janssens" in page and visitor.email in page
    assert "1 message received" in client.get("/en/me/company-profile/").content.decode()
    client.force_login(visitor)
    assert client.get(f"/en/me/company-profile/{company.pk}/messages/").status_code == 404


def test_a_line_break_in_the_subject_cannot_reach_the_email_headers(client, profile, visitor):
    client.force_login(visitor)
    assert _write(client, profile, subject="Hello\r\nBcc: victim@example.org").status_code == 302
    assert ContactMessage.objects.get().subject == "Hello Bcc: victim@example.org"
    notifications_dispatch(seconds=30)
    [email] = mail.outbox
    assert email.bcc == [] and "\n" not in email.subject


def test_an_unconfirmed_address_cannot_be_the_one_the_company_answers_to(client, profile, visitor):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=visitor).update(verified=False)
    client.force_login(visitor)
    response = _write(client, profile)
    assert response.status_code == 200
    assert "Bevestig eerst uw e-mailadres" in response.content.decode()
    assert not ContactMessage.objects.exists()
