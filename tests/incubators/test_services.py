import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from incubators import services
from incubators.models import Membership
from tests.factories import (
    AgencyFactory,
    CompanyFactory,
    IncubatorFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_it_creates_a_company_with_its_founder_as_member():
    user = UserFactory()
    company = services.company_create(
        user=user,
        name="Pixelforge",
        country="BE",
        enterprise_number="0417497106",
        sector="ict",
        stage="early",
    )
    assert list(company.people.all()) == [user]


def test_it_refuses_a_second_open_request_for_the_same_incubator():
    membership = MembershipFactory()
    with pytest.raises(services.MembershipError):
        services.membership_request(
            company=membership.company,
            incubator=membership.incubator,
            start=timezone.localdate(),
            requested_by=UserFactory(),
        )
    assert Membership.objects.count() == 1


def test_the_database_refuses_two_open_memberships_even_without_the_service():
    membership = MembershipFactory(status=Membership.Status.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            company=membership.company, incubator=membership.incubator, start=membership.start
        )


def test_a_company_can_ask_again_after_a_refusal():
    membership = MembershipFactory()
    services.membership_reject(membership=membership, decided_by=UserFactory())
    again = services.membership_request(
        company=membership.company,
        incubator=membership.incubator,
        start=timezone.localdate(),
        requested_by=UserFactory(),
    )
    assert again.status == Membership.Status.PENDING


def test_it_confirms_a_request_once_only():
    membership = MembershipFactory()
    manager = UserFactory()
    services.membership_confirm(membership=membership, decided_by=manager)
    assert membership.status == Membership.Status.CONFIRMED
    assert membership.decided_by == manager
    with pytest.raises(services.MembershipError):
        services.membership_reject(membership=membership, decided_by=manager)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.CONFIRMED


def test_the_database_refuses_a_membership_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            start=datetime.date(2026, 5, 1), end=datetime.date(2026, 4, 1), company=CompanyFactory()
        )


def test_making_someone_an_advisor_gives_them_the_advisor_role():
    user = UserFactory()
    advisor = services.advisor_create(user=user, agency=AgencyFactory())
    user.refresh_from_db()
    assert user.role == Role.ADVISOR
    assert advisor.agency.advisors.get() == advisor


def test_adding_a_manager_gives_an_entrepreneur_the_manager_role():
    user = UserFactory()
    incubator = IncubatorFactory()
    services.incubator_add_manager(incubator=incubator, user=user)
    user.refresh_from_db()
    assert user.role == Role.INCUBATOR_MANAGER
    assert list(user.managed_incubators.all()) == [incubator]
