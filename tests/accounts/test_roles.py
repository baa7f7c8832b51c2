import pytest

from accounts.models import Role
from accounts.services import COORDINATORS_GROUP, user_set_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_works_in_the_admin_with_every_portal_permission(client):
    user = UserFactory()
    user_set_role(user=user, role=Role.COORDINATOR)
    user.refresh_from_db()
    assert user.is_staff and user.is_coordinator
    assert user.groups.filter(name=COORDINATORS_GROUP).exists()
    assert user.has_perm("incubators.add_membership")
    assert user.has_perm("incubators.change_needcategory")
    assert not user.has_perm("auth.delete_group")
    client.force_login(user)
    assert client.get("/en/admin/incubators/incubator/").status_code == 200
    assert client.get("/en/admin/incubators/membership/import/").status_code == 200


def test_leaving_the_coordinator_role_closes_the_admin():
    user = UserFactory()
    user_set_role(user=user, role=Role.COORDINATOR)
    user_set_role(user=user, role=Role.ENTREPRENEUR)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()


def test_the_database_refuses_an_unknown_role_or_language():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role="emperor")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(language="de")


def test_emails_are_unique_whatever_their_case():
    from django.db import IntegrityError, transaction

    UserFactory(email="Same@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="same@example.org")
