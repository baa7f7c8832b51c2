import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role
from accounts.services import user_set_role
from incubators.models import Agency, Membership, NeedCategory
from needs import services
from needs.models import Need, RoutedNeed, RoutedNeedEvent, RoutingRule
from notifications.models import Notification
from tests.factories import (
    AdvisorFactory,
    CompanyFactory,
    IncubatorFactory,
    MembershipFactory,
    NeedFactory,
    RoutedNeedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEEDS = "/en/admin/needs/need/"
ROUTED = "/en/admin/needs/routedneed/"
RULES = "/en/admin/needs/routingrule/"


@pytest.fixture
def coordinator(client):
    user = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    client.force_login(user)
    return user


@pytest.fixture
def export(routing_rules):
    return NeedCategory.objects.get(slug="export")


@pytest.fixture
def member():
    """An entrepreneur whose company is a confirmed member of an incubator."""
    person = UserFactory(first_name="Amara")
    company = CompanyFactory(name="Pixelforge")
    company.people.add(person)
    MembershipFactory(
        company=company,
        incubator=IncubatorFactory(name="ICAB"),
        start=timezone.localdate() - datetime.timedelta(days=30),
        status=Membership.Status.CONFIRMED,
    )
    return person


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _inline_management(page) -> dict:
    """The inlines' management forms, which every change form posts back."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        data.update({form[name].html_name: form[name].value() for name in form.fields})
    return data


def _action(client, action: str, needs, **extra):
    return client.post(
        NEEDS, {"action": action, "_selected_action": [n.pk for n in needs], **extra}
    )


# --- Recording a need on a member's behalf ---------------------------------------------


def test_the_add_form_asks_for_the_person_category_text_urgency_and_consent(
    client, coordinator, export
):
    response = client.get(f"{NEEDS}add/")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == [
        "user",
        "category",
        "description",
        "urgency",
        "consent",
    ]


def test_the_coordinator_records_a_need_that_the_service_routes_by_the_rules(
    client, coordinator, export, member
):
    staff = AdvisorFactory(agency=Agency.objects.get(slug="bie"))
    response = client.post(
        f"{NEEDS}add/",
        {
            "user": member.pk,
            "category": export.pk,
            "description": "Met at ICAB: they want to sell in Germany.",
            "urgency": "high",
            "consent": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.source, need.created_by, need.urgency) == ("coordinator", coordinator, "high")
    assert (need.company.name, need.incubator.name) == ("Pixelforge", "ICAB")
    assert need.consent_changed_at is not None
    routed = need.routings.get()
    assert (routed.agency.slug, routed.status) == ("bie", "new")
    assert routed.events.get().actor == coordinator
    assert Notification.objects.filter(recipient=staff.user, routed_need=routed).exists()
    assert "Routed to BIE." in _messages(response)
    assert LogEntry.objects.get().object_id == str(need.pk)  # the admin's history


def test_a_need_recorded_without_consent_is_not_routed(client, coordinator, export, member):
    client.post(
        f"{NEEDS}add/",
        {
            "user": member.pk,
            "category": export.pk,
            "description": "Not sure yet.",
            "urgency": "normal",
            "_save": "Save",
        },
    )
    need = Need.objects.get()
    assert (need.consent, need.source) == (False, "coordinator")
    assert not RoutedNeed.objects.exists()


def test_the_change_page_shows_the_routings_and_keeps_consent_read_only(
    client, coordinator, export, member
):
    need = services.need_create(user=member, category=export, description="x", consent=True)
    response = client.get(f"{NEEDS}{need.pk}/change/")
    assert response.status_code == 200
    assert "consent" not in response.context["adminform"].form.fields
    assert "BIE" in response.content.decode()
    response = client.post(
        f"{NEEDS}{need.pk}/change/",
        {
            "category": export.pk,
            "description": "Germany and Austria",
            "urgency": "low",
            **_inline_management(response),
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.description, need.urgency, need.consent) == ("Germany and Austria", "low", True)


def test_the_changelists_link_to_the_import_and_the_overview(client, coordinator, export):
    NeedFactory(category=export)
    RoutedNeedFactory()
    needs_page = client.get(NEEDS).content.decode()
    assert "/en/admin/needs/need/import/" in needs_page
    assert "/en/coordination/overview/" in needs_page
    assert "/en/coordination/overview/" in client.get(ROUTED).content.decode()


# --- Actions ---------------------------------------------------------------------------


def test_route_again_sends_a_need_by_the_current_rules(client, coordinator, export):
    shared = NeedFactory(category=export)
    private = NeedFactory(category=export, consent=False)
    response = _action(client, "route_again", [shared, private])
    assert response.status_code == 302
    assert [r.agency.slug for r in shared.routings.all()] == ["bie"]
    assert not private.routings.exists()
    assert "New routings: 1. Needs without consent, not routed: 1." in _messages(response)[0]


def test_route_again_does_not_send_a_need_twice(client, coordinator, export):
    need = NeedFactory(category=export)
    _action(client, "route_again", [need])
    _action(client, "route_again", [need])
    assert need.routings.count() == 1


def test_send_to_an_agency_asks_which_then_routes_each_need_and_reports_refusals(
    client, coordinator, export
):
    atrium = Agency.objects.get(slug="atrium")
    shared = NeedFactory(category=export)
    private = NeedFactory(category=export, consent=False)
    already = NeedFactory(category=export)
    services.route_override(need=already, agency=atrium, by=coordinator)

    page = _action(client, "send_to_agency", [shared, private, already])
    assert page.status_code == 200
    assert "not shared: it will not be sent" in page.content.decode()
    assert not shared.routings.exists()

    response = _action(
        client,
        "send_to_agency",
        [shared, private, already],
        confirm="yes",
        agency=atrium.pk,
        note="Their shop project fits Atrium.",
    )
    assert response.status_code == 302
    routed = shared.routings.get()
    assert routed.agency == atrium
    assert routed.events.get().note == "Their shop project fits Atrium."
    assert not private.routings.exists()
    assert already.routings.count() == 1
    messages = _messages(response)
    assert any("has not given consent" in m and f"#{private.pk}" in m for m in messages)
    assert any("already open at Atrium" in m and f"#{already.pk}" in m for m in messages)
    assert "Sent to Atrium: 1 need." in messages


def test_send_to_an_agency_without_choosing_one_shows_the_form_again(client, coordinator, export):
    need = NeedFactory(category=export)
    response = _action(client, "send_to_agency", [need], confirm="yes")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not need.routings.exists()


# --- Routed needs ----------------------------------------------------------------------


def test_the_routed_needs_list_flags_and_filters_the_overdue(client, coordinator):
    late = RoutedNeedFactory(ack_due_at=timezone.now() - datetime.timedelta(hours=1))
    in_time = RoutedNeedFactory()
    done = RoutedNeedFactory(
        ack_due_at=timezone.now() - datetime.timedelta(hours=1),
        status="resolved",
        closed_at=timezone.now(),
    )
    overdue = list(client.get(ROUTED, {"overdue": "yes"}).context["cl"].result_list)
    assert overdue == [late]
    others = set(client.get(ROUTED, {"overdue": "no"}).context["cl"].result_list)
    assert others == {in_time, done}
    page = client.get(ROUTED).content.decode()
    assert page.count('alt="True"') == 1


def test_the_routed_needs_list_runs_as_many_queries_for_more_rows(client, coordinator):
    advisor = AdvisorFactory()
    person = UserFactory()
    RoutedNeedFactory(agency=advisor.agency, assigned_to=advisor, need__user=person)
    with CaptureQueriesContext(connection) as small:
        client.get(ROUTED)
    RoutedNeedFactory.create_batch(5, agency=advisor.agency, assigned_to=advisor, need__user=person)
    with CaptureQueriesContext(connection) as large:
        client.get(ROUTED)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_coordinator_assigns_a_routed_need_through_the_service(client, coordinator):
    advisor = AdvisorFactory()
    routed = RoutedNeedFactory(agency=advisor.agency)
    page = client.get(f"{ROUTED}{routed.pk}/change/")
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields) == ["assigned_to"]
    response = client.post(
        f"{ROUTED}{routed.pk}/change/", {"assigned_to": advisor.pk, **_inline_management(page)}
    )
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.assigned_to == advisor
    event = RoutedNeedEvent.objects.get(routed=routed)
    assert (event.actor, event.to_status) == (coordinator, "new")


def test_an_advisor_of_another_agency_cannot_be_assigned(client, coordinator):
    routed = RoutedNeedFactory()
    stranger = AdvisorFactory()
    page = client.get(f"{ROUTED}{routed.pk}/change/")
    response = client.post(
        f"{ROUTED}{routed.pk}/change/", {"assigned_to": stranger.pk, **_inline_management(page)}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    routed.refresh_from_db()
    assert routed.assigned_to is None


def test_it_shows_a_closed_routed_need_read_only_instead_of_failing_to_assign_it(
    client, coordinator
):
    advisor = AdvisorFactory()
    routed = RoutedNeedFactory(agency=advisor.agency, status="resolved", closed_at=timezone.now())
    page = client.get(f"{ROUTED}{routed.pk}/change/")
    assert list(page.context["adminform"].form.fields) == []

    response = client.post(
        f"{ROUTED}{routed.pk}/change/", {"assigned_to": advisor.pk, **_inline_management(page)}
    )

    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.assigned_to is None
    assert not RoutedNeedEvent.objects.filter(routed=routed).exists()


def test_routed_needs_are_neither_added_nor_deleted_in_the_admin(client, coordinator):
    routed = RoutedNeedFactory()
    assert client.get(f"{ROUTED}add/").status_code == 403
    assert client.post(f"{ROUTED}{routed.pk}/delete/").status_code == 403
    assert RoutedNeed.objects.filter(pk=routed.pk).exists()


# --- Routing rules ---------------------------------------------------------------------


def test_a_rule_narrowed_by_stage_and_sector_is_made_from_the_choices(client, coordinator, export):
    page = client.get(f"{RULES}add/")
    assert page.status_code == 200
    assert "Scale-up" in page.content.decode()
    atrium = Agency.objects.get(slug="atrium")
    response = client.post(
        f"{RULES}add/",
        {
            "category": export.pk,
            "stage": "scale_up",
            "sector": "",
            "agencies": [atrium.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(stage="scale_up")
    assert (rule.category, rule.sector, list(rule.agencies.all())) == (export, "", [atrium])


def test_a_rule_with_an_unknown_stage_is_refused(client, coordinator, export):
    response = client.post(
        f"{RULES}add/",
        {
            "category": export.pk,
            "stage": "teenager",
            "agencies": [Agency.objects.get(slug="bie").pk],
        },
    )
    assert response.status_code == 200
    assert "stage" in response.context["adminform"].form.errors


def test_the_rules_list_shows_stages_sectors_and_agencies(client, coordinator, export):
    rule = RoutingRule.objects.create(category=export, sector="food")
    rule.agencies.set(Agency.objects.filter(slug__in=["atrium", "bie"]))
    page = client.get(RULES, {"sector": "food"})
    assert list(page.context["cl"].result_list) == [rule]
    content = page.content.decode()
    assert "Food and hospitality" in content
    assert "BIE, Atrium" in content or "Atrium, BIE" in content
    assert client.get(RULES, {"sector": "any", "stage": "any"}).status_code == 200


def test_only_the_coordinator_reaches_the_needs_admin(client, export):
    client.force_login(UserFactory(is_staff=True))  # staff without the coordinator's rights
    assert client.get(NEEDS).status_code == 403
    assert client.get(f"{NEEDS}import/").status_code == 403


def test_a_routed_needs_history_reads_in_the_coordinators_language(client, coordinator, export):
    from needs.services import need_create

    with translation.override("nl"):  # recorded while Dutch was active
        need = need_create(user=UserFactory(), category=export, description="Export", consent=True)
    routed = need.routings.first()

    page = client.get(f"/fr/admin/needs/routedneed/{routed.pk}/change/").content.decode()

    assert "Transmis selon les règles." in page
