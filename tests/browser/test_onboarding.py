import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import IncubatorFactory, UserFactory

PHONE = {"width": 390, "height": 844}

TEXTS = {
    "fr": {
        "join": "Rejoindre une entreprise déjà enregistrée",
        "join_number": "Numéro d'entreprise de votre société",
        "join_button": "Rejoindre",
        "create": "Enregistrer une nouvelle entreprise",
        "name": "Nom",
        "number": "Numéro d'entreprise",
        "sector": "Secteur",
        "stage": "Stade",
        "website": "Site web",
        "create_button": "Créer l'entreprise",
        "check_digits": "ses chiffres de contrôle ne correspondent pas",
        "membership": "Adhésion à un incubateur",
        "since": "Membre depuis",
    },
    "nl": {
        "join": "Aansluiten bij een bedrijf dat al geregistreerd is",
        "join_number": "Ondernemingsnummer van uw bedrijf",
        "join_button": "Aansluiten",
        "create": "Een nieuw bedrijf registreren",
        "name": "Naam",
        "number": "Ondernemingsnummer",
        "sector": "Sector",
        "stage": "Fase",
        "website": "Website",
        "create_button": "Het bedrijf aanmaken",
        "check_digits": "controlecijfers",
        "membership": "Lidmaatschap van een incubator",
        "since": "Lid sinds",
    },
}


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_new_entrepreneur_on_a_phone_registers_a_bare_domain_and_sees_today_as_member_since(
    page, live_server, transactional_db, screenshot, language
):
    text = TEXTS[language]
    IncubatorFactory(name="Greenbizz")
    user = UserFactory(language=language)
    _log_in(page, live_server, user)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/{language}/onboarding/")

    # A number with a wrong check digit: the join form says so, in the page's language.
    join = page.get_by_role("region", name=text["join"])
    join.get_by_label(text["join_number"]).fill("0417.497.107")
    join.get_by_role("button", name=text["join_button"]).click()
    expect(page.get_by_text(text["check_digits"])).to_be_visible()
    screenshot(f"onboarding-join-check-digit-phone-{language}")

    create = page.get_by_role("region", name=text["create"])
    create.get_by_label(text["name"]).fill("Brusselse Bieren")
    create.get_by_label(text["number"]).fill("0417.497.106")
    create.get_by_label(text["sector"]).select_option("ict")
    create.get_by_label(text["stage"]).select_option("early")
    create.get_by_label(text["website"]).fill("brusselsebieren.be")
    screenshot(f"onboarding-bare-domain-phone-{language}")
    create.get_by_role("button", name=text["create_button"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(text["membership"])
    assert user.companies.get().website == "https://brusselsebieren.be"
    since = page.get_by_label(text["since"])
    expect(since).to_be_visible()
    expect(since).to_have_value(timezone.localdate().isoformat())
    # The browser understood the value: the date input shows it rather than an empty field.
    assert since.evaluate("el => el.valueAsDate !== null && el.validity.valid")
    screenshot(f"membership-request-phone-{language}")
