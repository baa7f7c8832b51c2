"""400, 403, 404, 500 and the CSRF refusal: in the layout and the reader's language
(the URL's prefix), with a way back."""

import re

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.hub_eu.error_urls")

TITLES = {
    400: {"fr": "Requête invalide", "nl": "Ongeldige aanvraag", "en": "Bad request"},
    403: {"fr": "Accès refusé", "nl": "Toegang geweigerd", "en": "Access refused"},
    404: {"fr": "Page introuvable", "nl": "Pagina niet gevonden", "en": "Page not found"},
    500: {"fr": "Erreur du serveur", "nl": "Serverfout", "en": "Server error"},
    "csrf": {"fr": "Formulaire expiré", "nl": "Formulier verlopen", "en": "Form expired"},
}
HOME = {
    "fr": "Retour à l'accueil",
    "nl": "Terug naar de startpagina",
    "en": "Back to the home page",
}
BACK = {
    "fr": "Retour à la page précédente",
    "nl": "Terug naar de vorige pagina",
    "en": "Back to the previous page",
}


def assert_error_page(response, *, status: int, language: str, title: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<title>{title} · hub.eu</title>" in html
    assert 'id="nav-main"' in html and "<footer" in html, "not in the site's layout"
    assert re.search(
        rf'href="/{language}/">\s*{re.escape(HOME[language])}', html.replace("&#x27;", "'")
    )
    assert 'style="' not in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html)), "inline script"
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("status", [400, 403, 500])
def test_an_error_page_is_in_the_layout_and_the_language_of_the_url(language, status):
    client = Client(raise_request_exception=False)
    response = client.get(f"/{language}/test/{status}/")
    assert_error_page(response, status=status, language=language, title=TITLES[status][language])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_an_address_that_matches_nothing_answers_404_in_the_language_of_its_prefix(
    client, language
):
    response = client.get(f"/{language}/does-not-exist/")
    assert_error_page(response, status=404, language=language, title=TITLES[404][language])


@pytest.mark.django_db
def test_a_need_of_someone_else_is_a_404_in_the_layout_with_a_way_to_my_space(client, category):
    from needs import services
    from needs.models import Need

    owner = UserFactory()
    need = services.need_create(
        user=owner,
        source=Need.Source.PROFILE,
        category=category,
        description="Un prêt ?",
        consent=True,
    )
    client.force_login(UserFactory(language="nl"))
    response = client.get(f"/nl/me/needs/{need.pk}/")
    html = assert_error_page(response, status=404, language="nl", title=TITLES[404]["nl"])
    assert "Un prêt" not in html
    assert 'href="/nl/me/">' in html and "Naar mijn ruimte" in html


@pytest.mark.django_db
def test_the_way_back_goes_to_the_previous_page_of_this_site_only(client):
    response = client.get("/en/does-not-exist/", HTTP_REFERER="http://testserver/en/agencies/")
    html = response.content.decode()
    assert 'href="http://testserver/en/agencies/"' in html and BACK["en"] in html

    response = client.get("/en/does-not-exist/", HTTP_REFERER="https://evil.example/phish/")
    html = response.content.decode()
    assert "evil.example" not in html and BACK["en"] not in html


def test_the_500_page_renders_without_the_database(client):
    """No `db` mark: any query (the session, the user) would fail the request. A session
    cookie is sent, as a signed-in reader's browser would."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/nl/test/500/")
    assert_error_page(response, status=500, language="nl", title=TITLES[500]["nl"])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_a_form_refused_by_the_csrf_check_answers_in_the_layout_and_language(language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    client.get(f"/{language}/me/needs/new/")  # the form's page sets the CSRF cookie
    response = client.post(
        f"/{language}/me/needs/new/",
        {"description": "x"},
        HTTP_REFERER=f"http://testserver/{language}/me/needs/new/",
    )
    html = assert_error_page(
        response, status=403, language=language, title=TITLES["csrf"][language]
    )
    assert f'href="http://testserver/{language}/me/needs/new/"' in html


@pytest.mark.django_db
def test_a_form_sent_without_the_cookie_says_to_allow_cookies():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/me/needs/new/", {"description": "x"})
    html = assert_error_page(response, status=403, language="en", title=TITLES["csrf"]["en"])
    assert "allow cookies for this site" in html
