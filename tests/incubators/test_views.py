import pytest

from incubators.models import Membership
from tests.factories import IncubatorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_root_sends_each_browser_to_its_own_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/nl/"


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Les agences"), ("nl", "De agentschappen"), ("en", "The agencies")],
)
def test_the_home_page_speaks_each_language(client, language, text):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_catalogue_lists_the_four_agencies_and_their_services_in_dutch(client):
    response = client.get("/nl/agencies/")
    content = response.content.decode()
    for name in ("Impulse", "Innoviris", "Brussel Invest &amp; Export", "Atrium"):
        assert name in content
    assert "Exportstrategie" in content


def test_the_agency_page_is_a_404_for_an_unknown_agency(client):
    assert client.get("/en/agencies/nope/").status_code == 404


def test_the_incubator_list_filters_by_municipality(client):
    IncubatorFactory(name="Alpha Hub", commune="ixelles", postal_code="1050")
    IncubatorFactory(name="Beta Lab", commune="jette", postal_code="1090")
    response = client.get("/en/incubators/", {"commune": "jette"})
    content = response.content.decode()
    assert "Beta Lab" in content
    assert "Alpha Hub" not in content


def test_the_incubator_list_answers_htmx_with_the_results_only(client):
    IncubatorFactory(name="Alpha Hub")
    response = client.get("/en/incubators/", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Alpha Hub" in content
    assert "<html" not in content


def test_a_manager_sees_the_members_of_their_own_place(client):
    manager = UserFactory(role="incubator_manager")
    membership = MembershipFactory()
    membership.incubator.managers.add(manager)
    client.force_login(manager)
    response = client.get(f"/en/manage/incubators/{membership.incubator.slug}/members/")
    assert response.status_code == 200
    assert membership.company.name in response.content.decode()


def test_a_manager_gets_a_404_for_another_place_and_its_requests(client):
    manager = UserFactory(role="incubator_manager")
    IncubatorFactory().managers.add(manager)
    other = MembershipFactory()
    client.force_login(manager)
    assert client.get(f"/en/manage/incubators/{other.incubator.slug}/members/").status_code == 404
    response = client.post(f"/en/manage/memberships/{other.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Membership.Status.PENDING


def test_an_entrepreneur_cannot_open_the_manager_pages(client):
    membership = MembershipFactory()
    client.force_login(UserFactory())
    assert (
        client.get(f"/en/manage/incubators/{membership.incubator.slug}/members/").status_code == 404
    )


def test_a_manager_confirms_a_request(client):
    manager = UserFactory(role="incubator_manager")
    membership = MembershipFactory()
    membership.incubator.managers.add(manager)
    client.force_login(manager)
    response = client.post(
        f"/en/manage/memberships/{membership.pk}/decide/", {"decision": "confirm"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.CONFIRMED
    assert membership.decided_by == manager


def test_onboarding_creates_a_company_and_says_what_is_wrong_in_french(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/fr/onboarding/",
        {
            "create-name": "Pixelforge",
            "create-country": "BE",
            "create-enterprise_number": "0417.497.107",
            "create-sector": "ict",
            "create-stage": "early",
        },
    )
    assert response.status_code == 200
    assert "chiffres de contrôle" in response.content.decode()
    response = client.post(
        "/fr/onboarding/",
        {
            "create-name": "Pixelforge",
            "create-country": "BE",
            "create-enterprise_number": "BE 0417.497.106",
            "create-sector": "ict",
            "create-stage": "early",
        },
    )
    assert response.status_code == 302
    assert user.companies.get().enterprise_number == "0417497106"


def test_onboarding_asks_to_join_a_company_by_its_number(client):
    membership = MembershipFactory()
    user = UserFactory()
    client.force_login(user)
    number = membership.company.enterprise_number_display
    response = client.post("/en/onboarding/", {"join-enterprise_number": number})
    assert response.status_code == 302
    assert [r.company for r in user.company_join_requests.all()] == [membership.company]
    assert not user.companies.exists()  # until someone who speaks for it approves


def test_a_membership_request_waits_for_the_manager(client):
    user = UserFactory()
    incubator = IncubatorFactory()
    client.force_login(user)
    from tests.factories import CompanyFactory

    company = CompanyFactory()
    company.people.add(user)
    response = client.post(
        "/en/onboarding/membership/",
        {"company": company.pk, "incubator": incubator.pk, "start": "2026-11-01"},
    )
    assert response.status_code == 302
    assert Membership.objects.get().status == Membership.Status.PENDING
    response = client.post(
        "/en/onboarding/membership/",
        {"company": company.pk, "incubator": incubator.pk, "start": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "already has a membership" in response.content.decode()


def test_someone_elses_company_cannot_be_used_for_a_request(client):
    user = UserFactory()
    client.force_login(user)
    from tests.factories import CompanyFactory

    CompanyFactory().people.add(user)
    foreign_company = CompanyFactory()
    response = client.post(
        "/en/onboarding/membership/",
        {"company": foreign_company.pk, "incubator": IncubatorFactory().pk, "start": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.exists()


def test_the_manager_page_shows_the_permanences_at_that_place_once(client):
    manager = UserFactory(role="incubator_manager")
    membership = MembershipFactory()
    membership.incubator.managers.add(manager)
    client.force_login(manager)
    content = client.get(f"/en/manage/incubators/{membership.incubator.slug}/members/").content
    text = content.decode()
    assert text.count("Permanences here") == 1
    title = text[text.index("<title>") : text.index("</title>")]
    assert "Permanences" not in title


def test_onboarding_accepts_a_bare_domain_and_stores_it_with_https(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/nl/onboarding/").content.decode()
    assert 'type="url"' not in page
    assert 'inputmode="url"' in page
    response = client.post(
        "/nl/onboarding/",
        {
            "create-name": "Brusselse Bieren",
            "create-country": "BE",
            "create-enterprise_number": "0417.497.106",
            "create-sector": "ict",
            "create-stage": "early",
            "create-website": "brusselsebieren.be",
        },
    )
    assert response.status_code == 302
    assert user.companies.get().website == "https://brusselsebieren.be"


def test_onboarding_says_in_french_when_a_website_is_not_an_address(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/fr/onboarding/",
        {
            "create-name": "Brusselse Bieren",
            "create-country": "BE",
            "create-enterprise_number": "0417.497.106",
            "create-sector": "ict",
            "create-stage": "early",
            "create-website": "brussels bieren",
        },
    )
    assert response.status_code == 200
    assert "Saisissez une URL valide." in response.content.decode()
    assert not user.companies.exists()


def test_joining_with_a_wrong_check_digit_says_so_not_that_the_company_is_unknown(client):
    membership = MembershipFactory()
    client.force_login(UserFactory())
    digits = membership.company.enterprise_number
    wrong = digits[:8] + f"{(int(digits[8:]) + 1) % 100:02d}"
    response = client.post("/fr/onboarding/", {"join-enterprise_number": wrong})
    assert response.status_code == 200
    page = response.content.decode()
    assert "chiffres de contrôle" in page
    assert "Aucune entreprise" not in page


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_membership_request_prefills_today_in_iso_for_the_date_input(client, language):
    from django.utils import timezone

    from tests.factories import CompanyFactory

    user = UserFactory()
    CompanyFactory().people.add(user)
    client.force_login(user)
    page = client.get(f"/{language}/onboarding/membership/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
