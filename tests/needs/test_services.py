import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from incubators.models import Agency, NeedCategory
from needs import services
from needs.models import Need, RoutedNeed, RoutingRule
from notifications.models import Notification
from tests.factories import (
    AdvisorFactory,
    CompanyFactory,
    IncubatorFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entrepreneur():
    return UserFactory(first_name="Amara")


def _declare(user, slug="export", consent=True, **extra):
    return services.need_create(
        user=user,
        category=NeedCategory.objects.get(slug=slug),
        description="We want to sell in Germany.",
        consent=consent,
        **extra,
    )


def test_a_need_is_routed_at_once_to_the_agency_its_category_belongs_to(
    routing_rules, entrepreneur
):
    staff = AdvisorFactory(agency=Agency.objects.get(slug="bie"))
    need = _declare(entrepreneur)
    routed = need.routings.get()
    assert (routed.agency.slug, routed.status) == ("bie", "new")
    due_in = routed.ack_due_at - routed.created_at
    assert abs(due_in - datetime.timedelta(hours=48)).total_seconds() < 2
    assert Notification.objects.filter(
        kind="need_routed", recipient=staff.user, routed_need=routed
    ).exists()
    assert routed.events.get().to_status == "new"


def test_nothing_is_routed_without_consent(routing_rules, entrepreneur):
    need = _declare(entrepreneur, consent=False)
    assert not need.routings.exists()
    assert not Notification.objects.exists()


def test_a_narrower_rule_wins_and_a_fallback_catches_the_rest(routing_rules, entrepreneur):
    place = IncubatorFactory()
    company = CompanyFactory(stage="growth")
    company.people.add(entrepreneur)

    MembershipFactory(
        company=company, incubator=place, start=timezone.localdate(), status="confirmed"
    )
    narrow = RoutingRule.objects.create(
        category=NeedCategory.objects.get(slug="export"), incubator=place
    )
    narrow.agencies.set(Agency.objects.filter(slug="innoviris"))
    assert [r.agency.slug for r in _declare(entrepreneur).routings.all()] == ["innoviris"]

    RoutingRule.objects.filter(category__slug="hiring").delete()
    assert [r.agency.slug for r in _declare(entrepreneur, slug="hiring").routings.all()] == [
        "impulse"
    ]


def test_a_need_moves_through_the_inbox_and_the_entrepreneur_hears_of_each_step(
    routing_rules, entrepreneur
):
    routed = _declare(entrepreneur).routings.get()
    advisor = AdvisorFactory(agency=routed.agency)
    services.routed_need_acknowledge(routed=routed, by=advisor.user, note="Seen")
    services.routed_need_start(routed=routed, by=advisor.user)
    services.routed_need_resolve(routed=routed, by=advisor.user, note="Sent to the export grant")
    routed.refresh_from_db()
    assert routed.status == "resolved" and routed.acknowledged_at and routed.closed_at
    assert [(e.from_status, e.to_status) for e in routed.events.all()] == [
        ("", "new"),
        ("new", "acknowledged"),
        ("acknowledged", "in_progress"),
        ("in_progress", "resolved"),
    ]
    assert Notification.objects.filter(kind="need_updated", recipient=entrepreneur).count() == 3
    with pytest.raises(services.NeedRefused):
        services.routed_need_decline(routed=routed, by=advisor.user, note="too late")


def test_declining_needs_a_reason(routing_rules, entrepreneur):
    routed = _declare(entrepreneur).routings.get()
    with pytest.raises(services.NeedRefused):
        services.routed_need_decline(routed=routed, by=UserFactory(), note=" ")
    routed.refresh_from_db()
    assert routed.status == "new"


def test_a_transfer_keeps_the_history_and_opens_the_need_at_the_other_agency(
    routing_rules, entrepreneur
):
    routed = _declare(entrepreneur).routings.get()
    atrium = Agency.objects.get(slug="atrium")
    staff = AdvisorFactory(agency=atrium)
    new = services.routed_need_transfer(
        routed=routed, to_agency=atrium, by=UserFactory(), reason="It is about a shop"
    )
    routed.refresh_from_db()
    assert routed.status == "transferred"
    assert (new.agency, new.status, new.transferred_from) == (atrium, "new", routed)
    assert "It is about a shop" in new.events.get().note
    assert Notification.objects.filter(
        kind="need_routed", recipient=staff.user, routed_need=new
    ).exists()


def test_answering_a_new_need_acknowledges_it_and_tells_the_entrepreneur(
    routing_rules, entrepreneur
):
    routed = _declare(entrepreneur).routings.get()
    advisor = AdvisorFactory(agency=routed.agency)
    message = services.routed_need_answer(routed=routed, by=advisor.user, body="Call us on Monday.")
    routed.refresh_from_db()
    assert routed.status == "acknowledged"
    assert Notification.objects.filter(
        kind="need_answered", recipient=entrepreneur, key=f"need_answered:message:{message.pk}"
    ).exists()
    # One email, not a second one for the acknowledgement that came with the answer.
    assert not Notification.objects.filter(kind="need_updated", recipient=entrepreneur).exists()


def test_an_advisor_of_another_agency_cannot_be_assigned(routing_rules, entrepreneur):
    routed = _declare(entrepreneur).routings.get()
    with pytest.raises(services.NeedRefused):
        services.routed_need_assign(routed=routed, advisor=AdvisorFactory(), by=UserFactory())
    mine = AdvisorFactory(agency=routed.agency)
    assert (
        services.routed_need_assign(routed=routed, advisor=mine, by=UserFactory()).assigned_to
        == mine
    )


def test_withdrawing_consent_hides_the_need_and_giving_it_back_routes_it(
    routing_rules, entrepreneur
):
    from needs.selectors import InboxFilters, inbox_list

    need = _declare(entrepreneur)
    agency = need.routings.get().agency
    services.need_set_consent(need=need, consent=False, by=entrepreneur)
    assert not inbox_list(agency=agency, filters=InboxFilters(status="all")).exists()
    services.need_set_consent(need=need, consent=True, by=entrepreneur)
    assert inbox_list(agency=agency, filters=InboxFilters()).count() == 1


def test_the_database_allows_one_open_routing_per_need_and_agency(routing_rules, entrepreneur):
    routed = _declare(entrepreneur).routings.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutedNeed.objects.create(need=routed.need, agency=routed.agency, ack_due_at=timezone.now())
    with pytest.raises(services.NeedRefused):
        services.route_override(need=routed.need, agency=routed.agency, by=UserFactory())


def test_a_need_declared_while_booking_goes_to_that_agency(routing_rules, entrepreneur):
    atrium = Agency.objects.get(slug="atrium")
    need = _declare(entrepreneur, slug="export", source=Need.Source.BOOKING, agency=atrium)
    assert [r.agency for r in need.routings.all()] == [atrium]


def test_it_records_what_the_system_did_as_codes_not_as_text(routing_rules, entrepreneur):
    atrium = Agency.objects.get(slug="atrium")
    by_rules = _declare(entrepreneur).routings.get()
    while_booking = _declare(entrepreneur, slug="financing", agency=atrium).routings.get()
    coordinator = UserFactory()
    overridden = services.route_override(
        need=by_rules.need, agency=atrium, by=coordinator, note="Their shop fits Atrium."
    )

    def first(routed):
        event = routed.events.get()
        return event.code, event.params, event.note

    assert first(by_rules) == ("routed_by_rules", {}, "")
    assert first(while_booking) == ("declared_while_booking", {}, "")
    assert first(overridden) == ("routed_by_coordinator", {}, "Their shop fits Atrium.")
    services.routed_need_assign(routed=by_rules, advisor=None, by=coordinator)
    assert by_rules.events.last().code == "unassigned"
