"""The privacy notice: in French, Dutch and English, with the controller and contact
from the settings and the retention periods actually configured; linked from sign-up
and from every form that collects personal data."""

import datetime

import pytest

from surveys.models import Invitation
from surveys.tokens import invitation_token
from tests.factories import AdvisorFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

# The line under a form, not the footer's link (which every page has).
PRIVACY_LINK = {
    "fr": 'Comment nous utilisons vos données : <a href="/fr/privacy/">',
    "nl": 'Hoe we uw gegevens gebruiken: <a href="/nl/privacy/">',
    "en": 'How we use your data: <a href="/en/privacy/">',
}


@pytest.mark.parametrize(
    "lang, title, authority",
    [
        ("fr", "Déclaration de confidentialité", "Autorité de protection des données"),
        ("nl", "Privacyverklaring", "Gegevensbeschermingsautoriteit"),
        ("en", "Privacy notice", "Belgian Data Protection Authority"),
    ],
)
def test_the_notice_shows_the_controller_and_the_retention_set_in_the_settings(
    client, settings, reference_data, lang, title, authority
):
    settings.PRIVACY_CONTROLLER = "Brussels Coordination Body"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@example.brussels"
    settings.PERSONAL_DATA_RETENTION_DAYS = {
        "needs": 1111,
        "messages": 777,
        "bookings": 0,
        "notifications": 123,
    }
    response = client.get(f"/{lang}/privacy/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{lang}"' in content
    assert title in content and authority in content
    assert "Brussels Coordination Body" in content
    assert 'href="mailto:dpo@example.brussels"' in content
    for days in ("1111", "777", "123"):
        assert days in content
    # 0 keeps the booking texts: the notice says so instead of a number of days.
    kept = {
        "fr": "conservés jusqu'à ce que vous supprimiez votre compte",
        "nl": "bewaard tot u uw account verwijdert",
        "en": "kept until you delete your account",
    }[lang]
    assert kept in content
    # Each agency, controller of what it receives, is named.
    for agency in ("Innoviris", "Atrium"):
        assert agency in content
    assert f'href="/{lang}/me/data/"' in content and f'href="/{lang}/me/consents/"' in content


def test_the_notice_has_sensible_defaults(client, reference_data):
    content = client.get("/en/privacy/").content.decode()
    assert "<strong>hub.brussels</strong>" in content
    assert 'href="mailto:dpo@hub.brussels"' in content


def test_the_signup_page_links_to_the_notice(client):
    for lang in ("fr", "nl", "en"):
        content = client.get(f"/{lang}/accounts/signup/").content.decode()
        assert PRIVACY_LINK[lang] in content, lang
        assert "<form" in content  # still allauth's own sign-up form


def test_every_form_collecting_personal_data_links_to_the_notice(
    client, make_slot, book, routing_rules
):
    from surveys.defaults import standard_survey_create
    from surveys.models import Survey

    standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    person = UserFactory()
    client.force_login(person)
    slot = make_slot(days=2)
    for url in (
        f"/en/permanences/slots/{slot.pk}/book/",
        "/en/me/needs/new/",
        "/en/onboarding/",
        "/en/me/profile/",
        "/en/me/data/",
        "/en/onboarding/membership/",  # once the person has a company
    ):
        if url == "/en/onboarding/membership/":
            CompanyFactory().people.add(person)
        response = client.get(url)
        assert response.status_code == 200, url
        assert PRIVACY_LINK["en"] in response.content.decode(), url

    from permanences import services

    advisor = AdvisorFactory()
    booking = book(make_slot(days=1, agency=advisor.agency, advisors=[advisor]), person)
    services.booking_mark_attendance(
        booking=booking,
        attended=True,
        outcome="",
        by=advisor.user,
        now=booking.starts_at + datetime.timedelta(minutes=30),
    )
    invitation = Invitation.objects.get(booking=booking)
    answer = client.get(f"/nl/survey/{invitation_token(invitation)}/").content.decode()
    assert PRIVACY_LINK["nl"] in answer
