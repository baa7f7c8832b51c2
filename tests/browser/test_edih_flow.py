"""Test before invest, end to end on a phone in French: an entrepreneur goes from the
digitalisation journey to the request form and sends a request; the EDIH's advisor finds
it in the needs inbox, answers it and records its outcome; the entrepreneur sees the
answer and the outcome. Every page passes axe (WCAG 2.1 AA) in French and Dutch."""

import re

import pytest
from playwright.sync_api import expect

from edih.models import TestRequest
from needs.models import RoutedNeed
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_AA

PASSWORD = "hub-demo-2026"
PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp/work/shots"
FOUNDER = "entrepreneur@demo.hub.brussels"
ADVISOR = "advisor.edih@demo.hub.brussels"


@pytest.fixture
def demo(routing_rules, demo_data):
    from demo.edih import load_edih
    from demo.journeys import load_journeys

    load_edih()
    load_journeys()


def _phone(browser):
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _log_in(page, base, lang, email):
    page.goto(f"{base}/{lang}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _axe(page) -> None:
    violations = page.evaluate(RUN_AXE, WCAG_AA)
    assert not violations, f"{page.url}: {violations}"
    assert page.locator("h1").count() == 1


def _shot(page, name):
    page.screenshot(path=f"{SHOTS}/edih-{name}.png", full_page=True)


def test_a_founder_requests_a_test_and_sees_the_edihs_outcome(browser, live_server, demo):
    base = live_server.url
    founder = _phone(browser)
    _log_in(founder, base, "fr", FOUNDER)
    founder.goto(f"{base}/fr/journeys/")
    _axe(founder)
    founder.get_by_role("link", name="Digitalisation").click()
    expect(founder.get_by_role("heading", level=1)).to_have_text(re.compile("Digitalisation"))
    _axe(founder)
    _shot(founder, "journey-digitalisation-fr")
    founder.get_by_role("link", name="Demander un test").click()
    expect(founder.get_by_role("heading", level=1)).to_have_text("Demander un test")

    # Sent without the essentials: the form says what is missing, in French.
    founder.get_by_role("button", name="Envoyer la demande").click()
    expect(founder.get_by_text("Sans votre consentement").first).to_be_visible()
    _axe(founder)
    _shot(founder, "form-errors-fr")

    founder.get_by_label("Intelligence artificielle").check()
    founder.get_by_label("Que voulez-vous apprendre de ce test ?").fill(
        "Un chatbot peut-il répondre à 80 % des questions de nos clients ?"
    )
    founder.get_by_label("De quelles données disposez-vous pour le test ?").fill(
        "Deux ans de courriels du service client, anonymisés."
    )
    founder.get_by_label("Données à caractère personnel", exact=True).check()
    founder.get_by_label("Quand souhaitez-vous tester ?").select_option("month")
    founder.get_by_label(re.compile("J'accepte que cette demande")).check()
    _shot(founder, "form-fr")
    founder.get_by_role("button", name="Envoyer la demande").click()
    expect(founder.get_by_role("alert").first).to_contain_text(
        "Votre demande a été transmise aux conseillers de : EDIH."
    )
    _axe(founder)
    test_request = TestRequest.objects.get(goal__startswith="Un chatbot")
    routed = test_request.need.routings.get()
    assert routed.agency.slug == "edih"
    assert test_request.need.urgency == "high"

    # The EDIH's advisor: the needs inbox, like any need.
    advisor = _phone(browser)
    _log_in(advisor, base, "fr", ADVISOR)
    advisor.goto(f"{base}/fr/agency/needs/")
    advisor.locator(f"a[href='/fr/agency/needs/{routed.pk}/']").first.click()
    expect(advisor.get_by_text("Un chatbot peut-il répondre").first).to_be_visible()
    expect(advisor.get_by_text("Données à caractère personnel").first).to_be_visible()
    advisor.get_by_label("Message").fill(
        "Bonjour Sofia, nous testons trois modèles sur un échantillon de vos courriels."
    )
    advisor.get_by_role("button", name="Répondre à l'entrepreneur").click()
    expect(advisor.get_by_role("alert").first).to_contain_text("Sofia")
    advisor.goto(f"{base}/fr/agency/test-requests/")
    _axe(advisor)
    advisor.locator(f"a[href='/fr/agency/test-requests/{test_request.pk}/']").click()
    _axe(advisor)
    advisor.get_by_label("Test réalisé").check()
    advisor.get_by_label("Note pour l'entrepreneur").fill(
        "Le meilleur modèle répond correctement à 83 % des questions."
    )
    advisor.get_by_role("button", name="Enregistrer la suite donnée").click()
    expect(advisor.get_by_role("alert").first).to_contain_text("La suite donnée est enregistrée.")
    _shot(advisor, "agency-detail-fr")
    routed.refresh_from_db()
    assert routed.status == RoutedNeed.Status.RESOLVED

    # The founder sees the answer and the outcome.
    founder.goto(f"{base}/fr/test-before-invest/")
    _axe(founder)
    founder.get_by_role("link", name="Intelligence artificielle").first.click()
    expect(founder.get_by_text("Test réalisé").first).to_be_visible()
    expect(founder.get_by_text("83 % des questions")).to_be_visible()
    expect(founder.get_by_text("nous testons trois modèles")).to_be_visible()
    _axe(founder)
    _shot(founder, "request-detail-fr")

    # The same pages in Dutch.
    for path, name in [
        (f"/nl/me/test-requests/{test_request.pk}/", "request-detail-nl"),
        ("/nl/journeys/digitalisation/", "journey-digitalisation-nl"),
        ("/nl/journeys/", "journeys-nl"),
        ("/nl/test-before-invest/", "index-nl"),
        ("/nl/test-before-invest/request/", "form-nl"),
    ]:
        founder.goto(base + path)
        assert founder.evaluate("document.documentElement.lang") == "nl"
        _axe(founder)
        _shot(founder, name)
    advisor.goto(f"{base}/nl/agency/test-requests/{test_request.pk}/")
    _axe(advisor)
    founder.context.close()
    advisor.context.close()


def test_another_founder_cannot_open_the_request(browser, live_server, demo):
    test_request = TestRequest.objects.get()  # the demo's, Sofia's
    page = _phone(browser)
    _log_in(page, live_server.url, "fr", "founder.nl@demo.hub.brussels")
    response = page.goto(f"{live_server.url}/fr/me/test-requests/{test_request.pk}/")
    assert response.status == 404
    page.context.close()
