import datetime

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from incubators import services
from incubators.models import Advisor, Membership
from tests.factories import (
    AdvisorFactory,
    AgencyFactory,
    CompanyFactory,
    IncubatorFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADVISORS = "/en/admin/incubators/advisor/"
MEMBERSHIPS = "/en/admin/incubators/membership/"
INCUBATORS = "/en/admin/incubators/incubator/"
AGENDA = "/en/advisor/permanences/"


@pytest.fixture
def coordinator(client):
    user = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    client.force_login(user)
    return user


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _advisor_form(*, user, agency, **overrides) -> dict:
    return {
        "user": user.pk,
        "agency": agency.pk,
        "job_title": "Export advisor",
        "expertise": "",
        "is_active": "on",
        "_save": "Save",
        **overrides,
    }


# --- Advisors ----------------------------------------------------------------------------


def test_it_lets_an_advisor_added_in_the_admin_open_their_agenda(client, coordinator):
    person = UserFactory()  # signed up as an entrepreneur, the default role
    agency = AgencyFactory()

    response = client.post(f"{ADVISORS}add/", _advisor_form(user=person, agency=agency))

    assert response.status_code == 302
    assert Advisor.objects.get(user=person).agency == agency
    client.force_login(person)
    assert client.get(AGENDA).status_code == 200
    person.refresh_from_db()
    assert person.role == Role.ADVISOR


def test_it_keeps_a_coordinator_added_as_an_advisor_a_coordinator(client, coordinator):
    other = user_set_role(user=UserFactory(), role=Role.COORDINATOR)

    client.post(f"{ADVISORS}add/", _advisor_form(user=other, agency=AgencyFactory()))

    other.refresh_from_db()
    assert (other.role, other.is_staff) == (Role.COORDINATOR, True)
    assert Advisor.objects.filter(user=other).exists()


def test_it_gives_the_advisor_role_to_an_advisor_activated_in_the_admin(client, coordinator):
    advisor = AdvisorFactory(user=UserFactory(), is_active=False)
    assert advisor.user.role == Role.ENTREPRENEUR

    response = client.post(
        f"{ADVISORS}{advisor.pk}/change/", _advisor_form(user=advisor.user, agency=advisor.agency)
    )

    assert response.status_code == 302
    advisor.user.refresh_from_db()
    assert advisor.user.role == Role.ADVISOR


# --- Incubator managers ------------------------------------------------------------------


def test_it_gives_the_manager_role_to_a_manager_added_in_the_admin(client, coordinator):
    incubator = IncubatorFactory()
    person = UserFactory()
    page = client.get(f"{INCUBATORS}{incubator.pk}/change/")

    response = client.post(
        f"{INCUBATORS}{incubator.pk}/change/",
        {
            **_incubator_form(page),
            "name_fr": incubator.name,  # required, and the factory fills the active language's
            "managers": [person.pk],
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.role == Role.INCUBATOR_MANAGER
    assert list(incubator.managers.all()) == [person]
    client.force_login(person)
    assert client.get(f"/en/manage/incubators/{incubator.slug}/members/").status_code == 200


def _incubator_form(page) -> dict:
    """What the change page would post back unchanged."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    return data


# --- Memberships -------------------------------------------------------------------------


def test_it_confirms_the_selected_pending_memberships_through_the_decision_service(
    client, coordinator, monkeypatch
):
    pending = [MembershipFactory(), MembershipFactory()]
    rejected = MembershipFactory(status=Membership.Status.REJECTED)
    decided = []
    confirm = services.membership_confirm

    def spy(**kwargs):
        decided.append(kwargs["membership"].pk)
        return confirm(**kwargs)

    monkeypatch.setattr(services, "membership_confirm", spy)

    response = client.post(
        MEMBERSHIPS,
        {
            "action": "confirm_selected",
            "_selected_action": [m.pk for m in [*pending, rejected]],
        },
    )

    assert response.status_code == 302
    assert sorted(decided) == sorted(m.pk for m in [*pending, rejected])  # the service decides
    for membership in pending:
        membership.refresh_from_db()
        assert membership.status == Membership.Status.CONFIRMED
        assert membership.decided_by == coordinator
        assert timezone.now() - membership.decided_at < datetime.timedelta(minutes=1)
    rejected.refresh_from_db()
    assert (rejected.status, rejected.decided_by) == (Membership.Status.REJECTED, None)
    assert "2 memberships confirmed." in _messages(response)
    assert "Already decided, left as they were: 1." in _messages(response)


def test_it_declines_the_selected_requests_through_the_decision_service(client, coordinator):
    pending = MembershipFactory()

    response = client.post(
        MEMBERSHIPS, {"action": "decline_selected", "_selected_action": [pending.pk]}
    )

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Membership.Status.REJECTED, coordinator)
    assert "1 membership request declined." in _messages(response)


def test_a_membership_recorded_in_the_admin_is_confirmed_by_the_coordinator(client, coordinator):
    company, incubator = CompanyFactory(), IncubatorFactory()

    response = client.post(
        f"{MEMBERSHIPS}add/",
        {"company": company.pk, "incubator": incubator.pk, "start": "2026-09-01", "end": ""},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(company=company, incubator=incubator)
    assert membership.status == Membership.Status.CONFIRMED
    assert (membership.requested_by, membership.decided_by) == (coordinator, coordinator)
    assert membership.decided_at is not None


def test_the_status_of_a_membership_is_not_edited_by_hand(client, coordinator):
    pending = MembershipFactory()

    page = client.get(f"{MEMBERSHIPS}{pending.pk}/change/").content.decode()
    client.post(
        f"{MEMBERSHIPS}{pending.pk}/change/",
        {
            "company": pending.company_id,
            "incubator": pending.incubator_id,
            "start": pending.start.isoformat(),
            "end": "",
            "status": "confirmed",
        },
    )

    assert 'name="status"' not in page
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING


def test_the_translation_tabs_load_no_script_from_a_cdn(client, coordinator, reference_data):
    page = client.get("/en/admin/incubators/needcategory/add/").content.decode()

    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "googleapis" not in page
    assert finders.find("vendor/jquery-ui/jquery-ui.min.js")  # installed from npm
