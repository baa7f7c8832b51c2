"""An optional logo: images only (PNG, JPEG, WebP, checked on their first bytes), 512 KB
at most, stored out of the web root and served with the type the check decided, to whoever
may see the profile."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import CompanyProfile
from community.uploads import LOGO_MAX_BYTES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _form(**overrides):
    data = {
        "tagline": "Software for corner shops",
        "description": "We help small shops sell online.",
        "sector": "retail",
        "stage": "growth",
        "contact_enabled": "on",
    }
    data.update(overrides)
    return data


def _upload(client, company, logo):
    return client.post(f"/en/me/company-profile/{company.pk}/", _form(logo=logo))


def test_a_png_logo_is_kept_and_served_as_png(client, company, founder, profile, settings):
    client.force_login(founder)
    assert (
        _upload(client, company, SimpleUploadedFile("../../evil name.png", PNG)).status_code == 302
    )
    profile.refresh_from_db()
    assert profile.logo.name.startswith("community/logos/") and ".." not in profile.logo.name
    assert str(settings.MEDIA_ROOT / "private") in profile.logo.path
    client.logout()
    response = client.get(profile.logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    assert profile.logo_url in client.get(f"/en/companies/{profile.slug}/").content.decode()


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("logo.svg", b"<svg onload='alert(1)'/>", "must be a PNG, JPEG or WebP image"),
        ("logo.html", b"<script>alert(1)</script>", "must be a PNG, JPEG or WebP image"),
        ("logo.png", b"<script>alert(1)</script>", "is not the image its name says"),
        ("logo.jpg", PNG, "is not the image its name says"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * LOGO_MAX_BYTES, "too large"),
    ],
)
def test_it_refuses_what_is_not_a_small_image(
    client, company, founder, profile, name, content, error
):
    client.force_login(founder)
    response = _upload(client, company, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert error in response.content.decode()
    profile.refresh_from_db()
    assert not profile.logo


def test_a_new_logo_replaces_the_old_file_and_it_can_be_removed(
    client, company, founder, profile, django_capture_on_commit_callbacks
):
    client.force_login(founder)
    _upload(client, company, SimpleUploadedFile("a.png", PNG))
    profile.refresh_from_db()
    first = profile.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, company, SimpleUploadedFile("b.png", PNG))
    profile.refresh_from_db()
    assert profile.logo.path != first
    assert not os.path.exists(first)
    client.post(f"/en/me/company-profile/{company.pk}/", _form(remove_logo="on"))
    profile.refresh_from_db()
    assert not profile.logo
    assert client.get(f"/en/companies/{profile.slug}/logo/").status_code == 404


def test_the_logo_of_an_unpublished_profile_is_a_404_to_others(
    client, company, founder, make_profile
):
    profile = make_profile(company, publish=False)
    client.force_login(founder)
    _upload(client, company, SimpleUploadedFile("a.png", PNG))
    profile.refresh_from_db()
    assert client.get(profile.logo_url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(profile.logo_url).status_code == 404


def test_a_logo_whose_stored_name_is_not_an_image_is_never_served(client, profile):
    CompanyProfile.objects.filter(pk=profile.pk).update(logo="community/logos/x.html")
    assert client.get(f"/en/companies/{profile.slug}/logo/").status_code == 404
    CompanyProfile.objects.filter(pk=profile.pk).update(logo="community/logos/missing.png")
    assert client.get(f"/en/companies/{profile.slug}/logo/").status_code == 404
