"""A company's people write, publish and unpublish its profile; nobody else may, and an
unpublished profile is a 404 to everyone but them."""

import pytest
from django.db import IntegrityError, transaction

from community import services
from community.models import CompanyProfile
from incubators.models import Membership
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "tagline": "Software for corner shops",
        "description": "We help small shops sell online.",
        "sector": "retail",
        "stage": "growth",
        "looking_for": ["talent", "pilots"],
        "looking_for_note": "A first supermarket",
        "contact_enabled": "on",
    }
    data.update(overrides)
    return data


def test_it_creates_an_unpublished_profile_from_the_form(client, company, founder):
    client.force_login(founder)
    response = client.post(f"/en/me/company-profile/{company.pk}/", _form())
    assert response.status_code == 302
    profile = CompanyProfile.objects.get(company=company)
    assert not profile.is_published
    assert profile.slug == "pixelforge"
    assert profile.looking_for == ["talent", "pilots"]
    company.refresh_from_db()
    assert (company.sector, company.stage) == ("retail", "growth")


def test_it_publishes_then_unpublishes_the_profile(client, company, founder, make_profile):
    profile = make_profile(company, publish=False)
    assert client.get(f"/en/companies/{profile.slug}/").status_code == 404
    client.force_login(founder)
    assert client.post(f"/en/me/company-profile/{company.pk}/publish/").status_code == 302
    profile.refresh_from_db()
    assert profile.is_published and profile.published_at is not None
    client.logout()
    assert client.get(f"/en/companies/{profile.slug}/").status_code == 200

    client.force_login(founder)
    client.post(f"/en/me/company-profile/{company.pk}/unpublish/")
    client.logout()
    assert client.get(f"/en/companies/{profile.slug}/").status_code == 404
    assert client.get("/en/companies/").context["page"].paginator.count == 0


def test_its_people_see_the_unpublished_profile_but_nobody_else(client, company, make_profile):
    profile = make_profile(company, publish=False)
    client.force_login(company.people.first())
    assert client.get(f"/en/companies/{profile.slug}/").status_code == 200
    client.force_login(UserFactory())
    assert client.get(f"/en/companies/{profile.slug}/").status_code == 404


def test_someone_else_cannot_edit_publish_or_read_the_messages(client, company, profile):
    client.force_login(UserFactory())
    base = f"/en/me/company-profile/{company.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/", _form(tagline="Hacked")).status_code == 404
    assert client.post(f"{base}/unpublish/").status_code == 404
    assert client.get(f"{base}/messages/").status_code == 404
    profile.refresh_from_db()
    assert profile.is_published and profile.tagline != "Hacked"


def test_the_service_refuses_someone_who_is_not_of_the_company(company, profile):
    stranger = UserFactory()
    with pytest.raises(services.CommunityRefused):
        services.profile_save(
            company=company, by=stranger, tagline="x", description="y", looking_for=[]
        )
    with pytest.raises(services.CommunityRefused):
        services.profile_unpublish(profile=profile, by=stranger)
    with pytest.raises(services.CommunityRefused):
        services.profile_publish(profile=profile, by=stranger)


def test_a_person_who_only_asked_to_join_cannot_edit(client, company):
    from incubators.services import company_join

    asker = UserFactory()
    company_join(user=asker, company=company)
    client.force_login(asker)
    assert client.get(f"/en/me/company-profile/{company.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, company):
    response = client.get(f"/en/me/company-profile/{company.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_publishing_needs_a_confirmed_membership(client):
    founder = UserFactory()
    company = CompanyFactory()
    company.people.add(founder)
    profile = services.profile_save(
        company=company, by=founder, tagline="t", description="d", looking_for=[]
    )
    client.force_login(founder)
    response = client.post(f"/en/me/company-profile/{company.pk}/publish/", follow=True)
    assert "membership of an incubator is confirmed" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.is_published


def test_publish_and_unpublish_are_post_only(client, company, founder, profile):
    client.force_login(founder)
    assert client.get(f"/en/me/company-profile/{company.pk}/unpublish/").status_code == 405


def test_a_form_error_is_said_in_the_readers_language(client, company, founder):
    client.force_login(founder)
    response = client.post(f"/fr/me/company-profile/{company.pk}/", _form(tagline=""))
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_two_companies_of_the_same_name_get_two_addresses(make_profile, incubator):
    from tests.factories import make_member

    first, second = UserFactory(), UserFactory()
    a, b = make_member(first, incubator), make_member(second, incubator)
    a.name = b.name = "Same Name"
    a.save()
    b.save()
    assert make_profile(a).slug == "same-name"
    assert make_profile(b).slug == "same-name-2"


def test_a_company_named_like_another_page_gets_another_address(make_profile, incubator):
    from tests.factories import make_member

    company = make_member(UserFactory(), incubator)
    company.name = "Join requests"
    company.save()
    profile = make_profile(company)
    assert profile.slug == "join-requests-2"


def test_the_database_refuses_a_reserved_slug_or_a_published_profile_without_date(profile):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyProfile.objects.filter(pk=profile.pk).update(slug="join-requests")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyProfile.objects.filter(pk=profile.pk).update(published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyProfile.objects.filter(pk=profile.pk).update(tagline="")


def test_the_incubators_join_requests_page_still_answers(client, founder):
    client.force_login(founder)
    assert client.get("/en/companies/join-requests/").status_code == 200


def test_the_profile_shows_the_current_incubators(client, company, profile, incubator):
    ended = Membership.objects.get(company=company)
    response = client.get(f"/en/companies/{profile.slug}/")
    assert "Greenbizz" in response.content.decode()
    ended.end = ended.start
    ended.save()
    response = client.get(f"/en/companies/{profile.slug}/")
    assert "Member of" not in response.content.decode()
