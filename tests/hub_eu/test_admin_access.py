"""Who reaches the admin, what they see there, and the page of a refused access."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.views.defaults import permission_denied

from accounts.models import Role
from accounts.services import COORDINATORS_GROUP, user_set_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BEAT_PAGES = [
    "/en/admin/django_celery_beat/periodictask/",
    "/en/admin/django_celery_beat/crontabschedule/",
    "/en/admin/django_celery_beat/intervalschedule/",
    "/en/admin/django_celery_beat/solarschedule/",
    "/en/admin/django_celery_beat/clockedschedule/",
]


def test_it_answers_someone_without_admin_access_with_the_sites_page_in_their_language(client):
    client.force_login(UserFactory(language="nl"))

    response = client.get("/nl/admin/", follow=True)  # through the admin's login page

    assert response.status_code == 403
    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "U kunt deze pagina niet openen" in content
    assert "Het beheer is voorbehouden aan het coördinatieteam." in content
    assert 'href="/nl/"' in content  # back to the home page
    assert 'href="/nl/me/"' in content  # and to their space
    assert "Forbidden" not in content


def test_it_explains_a_refusal_outside_the_admin_in_the_sites_layout(rf):
    request = rf.get("/fr/somewhere/")
    request.user = UserFactory(language="fr")

    with translation.override("fr"):
        response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Vous ne pouvez pas ouvrir cette page" in content
    assert "Votre compte ne donne pas accès à cette page." in content
    assert "Retour à l'accueil" in content


def test_it_shows_celery_beat_to_superusers_only(client):
    client.force_login(user_set_role(user=UserFactory(), role=Role.COORDINATOR))

    index = client.get("/en/admin/").content.decode()
    assert "/admin/permanences/" in index
    assert "django_celery_beat" not in index
    assert "Periodic tasks" not in index
    for page in BEAT_PAGES:
        assert client.get(page).status_code == 403, page

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "django_celery_beat" in client.get("/en/admin/").content.decode()
    for page in BEAT_PAGES:
        assert client.get(page).status_code == 200, page


def test_the_coordinators_group_holds_no_celery_beat_permission():
    user_set_role(user=UserFactory(), role=Role.COORDINATOR)

    group = Group.objects.get(name=COORDINATORS_GROUP)
    assert group.permissions.filter(content_type__app_label="permanences").exists()
    assert not group.permissions.filter(content_type__app_label="django_celery_beat").exists()
    assert Permission.objects.filter(content_type__app_label="django_celery_beat").exists()
