"""Joining a company already registered: its enterprise number is public, so typing it is
a request that someone who speaks for the company approves (one of its people, a manager
of an incubator it is a member of, the coordinator); until then the person gets nothing
of the company."""

import pytest
from django.core import mail
from django.db import IntegrityError

from accounts.models import Role
from accounts.services import user_set_role
from incubators import services
from incubators.models import CompanyJoinRequest, Membership
from notifications import sending
from tests.factories import (
    CompanyFactory,
    IncubatorFactory,
    MembershipFactory,
    UserFactory,
    make_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague():
    return UserFactory(first_name="Colette", language="en")


@pytest.fixture
def member_company(colleague):
    """A company with a confirmed, current membership, whose founder is listed."""
    return make_member(colleague, IncubatorFactory(name="Greenbizz"))


def _ask(client, user, company):
    client.force_login(user)
    return client.post(
        "/en/onboarding/", {"join-enterprise_number": company.enterprise_number_display}
    )


def _decide(client, decider, join_request, decision="approve"):
    client.force_login(decider)
    return client.post(
        f"/en/companies/join-requests/{join_request.pk}/decide/", {"decision": decision}
    )


def _sent() -> list:
    mail.outbox.clear()
    sending.notifications_dispatch(seconds=30)
    return list(mail.outbox)


def test_typing_a_companys_number_only_asks_to_join_it(client, member_company):
    stranger = UserFactory()
    response = _ask(client, stranger, member_company)

    assert response.status_code == 302
    assert response["Location"] == "/en/companies/join-requests/"
    assert not stranger.companies.exists()
    join_request = CompanyJoinRequest.objects.get(user=stranger)
    assert join_request.company == member_company
    assert join_request.status == CompanyJoinRequest.Status.PENDING
    page = client.get("/en/companies/join-requests/").content.decode()
    assert f"Waiting for approval by {member_company.name}" in page


def test_a_stranger_asking_to_join_gets_nothing_of_the_company(client, member_company, colleague):
    stranger = UserFactory()
    _ask(client, stranger, member_company)
    incubator = member_company.memberships.get().incubator

    # No membership to ask for in its name: the membership page sends them back.
    response = client.get("/en/onboarding/membership/")
    assert response.status_code == 302 and response["Location"] == "/en/onboarding/"
    response = client.post(
        "/en/onboarding/membership/",
        {"company": member_company.pk, "incubator": incubator.pk, "start": "2026-11-01"},
    )
    assert Membership.objects.filter(requested_by=stranger).count() == 0
    # The manager's list of the company's people does not name them.
    manager = UserFactory(role=Role.INCUBATOR_MANAGER)
    incubator.managers.add(manager)
    client.force_login(manager)
    members = client.get(f"/en/manage/incubators/{incubator.slug}/members/").content.decode()
    assert str(colleague) in members
    assert str(stranger) not in members
    assert "1 person asks to join one of these companies." in members


def test_the_people_of_the_company_are_told_in_their_language(member_company, colleague):
    manager = UserFactory(role=Role.INCUBATOR_MANAGER, language="nl")
    member_company.memberships.get().incubator.managers.add(manager)
    other_manager = UserFactory(role=Role.INCUBATOR_MANAGER)
    IncubatorFactory().managers.add(other_manager)
    stranger = UserFactory(first_name="Sam", last_name="Stone")

    services.company_join(user=stranger, company=member_company)

    sent = {m.to[0]: m for m in _sent()}
    assert set(sent) == {colleague.email, manager.email}
    assert sent[colleague.email].subject == f"Sam Stone asks to join {member_company.name}"
    assert "/en/companies/join-requests/" in sent[colleague.email].body
    assert (
        sent[manager.email].subject
        == f"Sam Stone vraagt om aan {member_company.name} gekoppeld te worden"
    )


def test_the_coordinator_is_told_when_nobody_speaks_for_the_company():
    coordinator = UserFactory(role=Role.COORDINATOR, is_staff=True)
    company = CompanyFactory()
    services.company_join(user=UserFactory(), company=company)
    assert [m.to for m in _sent()] == [[coordinator.email]]


def test_a_person_of_the_company_approves_and_the_person_is_told_in_their_language(
    client, member_company, colleague
):
    stranger = UserFactory(language="fr")
    join_request = services.company_join(user=stranger, company=member_company)
    _sent()

    client.force_login(colleague)
    page = client.get("/en/companies/join-requests/").content.decode()
    assert str(stranger) in page and "Approve" in page
    response = _decide(client, colleague, join_request)

    assert response.status_code == 302
    assert list(stranger.companies.all()) == [member_company]
    join_request.refresh_from_db()
    assert join_request.status == CompanyJoinRequest.Status.APPROVED
    assert join_request.decided_by == colleague
    [told] = _sent()
    assert told.to == [stranger.email]
    assert told.subject == f"Vous faites désormais partie de {member_company.name}"


def test_a_manager_of_an_incubator_the_company_is_a_member_of_approves(client, member_company):
    manager = UserFactory(role=Role.INCUBATOR_MANAGER)
    member_company.memberships.get().incubator.managers.add(manager)
    stranger = UserFactory()
    join_request = services.company_join(user=stranger, company=member_company)

    assert _decide(client, manager, join_request).status_code == 302
    assert stranger.companies.filter(pk=member_company.pk).exists()


def test_the_coordinator_approves_from_the_page_or_the_admin(client, member_company):
    coordinator = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    first, second = UserFactory(), UserFactory()
    from_page = services.company_join(user=first, company=member_company)
    from_admin = services.company_join(user=second, company=member_company)

    assert _decide(client, coordinator, from_page).status_code == 302
    assert first.companies.exists()
    client.force_login(coordinator)
    response = client.post(
        "/en/admin/incubators/companyjoinrequest/",
        {"action": "approve_selected", "_selected_action": [from_admin.pk]},
        follow=True,
    )
    assert "1 request to join a company approved." in response.content.decode()
    assert second.companies.exists()


@pytest.mark.parametrize("who", ["stranger", "other_company", "other_manager", "requester"])
def test_someone_who_may_not_decide_gets_a_404(client, member_company, who):
    requester = UserFactory()
    join_request = services.company_join(user=requester, company=member_company)
    deciders = {
        "stranger": lambda: UserFactory(),
        "other_company": lambda: make_member(UserFactory(), IncubatorFactory()).people.get(),
        "other_manager": lambda: _manager_of(IncubatorFactory()),
        "requester": lambda: requester,
    }
    decider = deciders[who]()

    assert _decide(client, decider, join_request).status_code == 404
    assert str(requester) not in client.get("/en/companies/join-requests/").content.decode() or (
        who == "requester"
    )
    join_request.refresh_from_db()
    assert join_request.status == CompanyJoinRequest.Status.PENDING
    assert not requester.companies.exists()
    with pytest.raises(services.CompanyJoinError):
        services.company_join_approve(join_request=join_request, decided_by=decider)


def _manager_of(incubator):
    manager = UserFactory(role=Role.INCUBATOR_MANAGER)
    incubator.managers.add(manager)
    return manager


def test_a_manager_of_a_place_where_the_company_is_only_asking_may_not_decide(client):
    company = CompanyFactory()
    membership = MembershipFactory(company=company)  # pending
    manager = _manager_of(membership.incubator)
    join_request = services.company_join(user=UserFactory(), company=company)
    assert _decide(client, manager, join_request).status_code == 404


def test_a_refused_person_is_not_listed_and_is_told(client, member_company, colleague):
    stranger = UserFactory(language="en")
    join_request = services.company_join(user=stranger, company=member_company)
    _sent()

    _decide(client, colleague, join_request, decision="refuse")

    join_request.refresh_from_db()
    assert join_request.status == CompanyJoinRequest.Status.REFUSED
    assert not stranger.companies.exists()
    [told] = _sent()
    assert told.to == [stranger.email]
    assert told.subject == f"Your request to join {member_company.name} was not approved"


def test_the_person_withdraws_their_request_and_it_can_no_longer_be_approved(
    client, member_company, colleague
):
    stranger = UserFactory()
    join_request = services.company_join(user=stranger, company=member_company)

    client.force_login(colleague)  # someone else's request: not theirs to withdraw
    assert (
        client.post(f"/en/companies/join-requests/{join_request.pk}/withdraw/").status_code == 404
    )
    client.force_login(stranger)
    assert client.get(f"/en/companies/join-requests/{join_request.pk}/withdraw/").status_code == 405
    response = client.post(f"/en/companies/join-requests/{join_request.pk}/withdraw/")
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == CompanyJoinRequest.Status.WITHDRAWN

    response = _decide(client, colleague, join_request)
    assert response.status_code == 302
    assert not stranger.companies.exists()
    # The approvers' email, not sent yet, is not sent any more.
    assert _sent() == []


def test_one_pending_request_per_person_and_company(client, member_company, colleague):
    stranger = UserFactory()
    services.company_join(user=stranger, company=member_company)
    with pytest.raises(services.CompanyJoinError, match="already asked"):
        services.company_join(user=stranger, company=member_company)
    response = _ask(client, stranger, member_company)
    assert response.status_code == 200
    assert "You already asked to join" in response.content.decode()
    with pytest.raises(IntegrityError):
        CompanyJoinRequest.objects.create(user=stranger, company=member_company)


def test_someone_already_listed_is_told_so(member_company, colleague):
    with pytest.raises(services.CompanyJoinError, match="already listed"):
        services.company_join(user=colleague, company=member_company)


def test_creating_a_company_lists_its_creator_at_once(client):
    user = UserFactory()
    client.force_login(user)
    client.post(
        "/en/onboarding/",
        {
            "create-name": "Pixelforge",
            "create-country": "BE",
            "create-enterprise_number": "0417.497.106",
            "create-sector": "ict",
            "create-stage": "early",
        },
    )
    assert user.companies.get().name == "Pixelforge"
    assert not CompanyJoinRequest.objects.exists()


def test_deciding_answers_only_to_post(client, member_company, colleague):
    join_request = services.company_join(user=UserFactory(), company=member_company)
    client.force_login(colleague)
    url = f"/en/companies/join-requests/{join_request.pk}/decide/"
    assert client.get(url, {"decision": "approve"}).status_code == 405


def test_my_space_shows_the_request_waiting_and_what_waits_for_a_decision(
    client, member_company, colleague
):
    stranger = UserFactory()
    services.company_join(user=stranger, company=member_company)

    client.force_login(stranger)
    page = client.get("/en/me/").content.decode()
    assert f"Waiting for approval by {member_company.name}" in page
    assert "You have not said which company you work for yet." not in page
    client.force_login(colleague)
    page = client.get("/en/me/").content.decode()
    assert "1 request to join a company waits for your decision." in page


def test_a_manager_asking_to_join_a_member_company_is_not_asked_to_approve_it(
    client, member_company, colleague
):
    manager = _manager_of(member_company.memberships.get().incubator)
    join_request = services.company_join(user=manager, company=member_company)

    assert [m.to for m in _sent()] == [[colleague.email]]
    assert _decide(client, manager, join_request).status_code == 404
