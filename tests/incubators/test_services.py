import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from incubators import services
from incubators.models import Advisor, Membership
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


def test_it_gives_the_advisor_role_when_an_inactive_advisor_is_activated():
    advisor = services.advisor_save(
        advisor=Advisor(user=UserFactory(), agency=AgencyFactory(), is_active=False)
    )
    advisor.user.refresh_from_db()
    assert advisor.user.role == Role.ENTREPRENEUR  # not yet: the agenda stays closed

    advisor.is_active = True
    services.advisor_save(advisor=advisor)

    advisor.user.refresh_from_db()
    assert advisor.user.role == Role.ADVISOR


def test_it_keeps_a_coordinator_made_advisor_or_manager_a_coordinator():
    user = user_set_role(user=UserFactory(), role=Role.COORDINATOR)

    services.advisor_create(user=user, agency=AgencyFactory())
    services.incubator_add_manager(incubator=IncubatorFactory(), user=user)

    user.refresh_from_db()
    assert (user.role, user.is_staff, user.is_coordinator) == (Role.COORDINATOR, True, True)


def test_it_makes_an_incubator_manager_hired_by_an_agency_an_advisor():
    user = UserFactory(role=Role.INCUBATOR_MANAGER)
    services.advisor_create(user=user, agency=AgencyFactory())
    user.refresh_from_db()
    assert user.role == Role.ADVISOR


def test_it_confirms_pending_memberships_one_by_one_and_counts_those_already_decided():
    pending = MembershipFactory()
    rejected = MembershipFactory(status=Membership.Status.REJECTED)
    coordinator = UserFactory()

    confirmed, skipped = services.memberships_decide(
        confirm=True, memberships=[pending, rejected], decided_by=coordinator
    )

    assert (confirmed, skipped) == (1, 1)
    pending.refresh_from_db(), rejected.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Membership.Status.CONFIRMED, coordinator)
    assert pending.decided_at is not None
    assert (rejected.status, rejected.decided_by) == (Membership.Status.REJECTED, None)
