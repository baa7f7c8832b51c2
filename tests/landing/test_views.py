import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from landing.models import LandingPlan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    user = UserFactory(role=Role.COORDINATOR, is_staff=True)
    assert user.is_coordinator
    return user


def test_the_public_pages_say_who_helps_with_what(client, routing_rules):
    page = client.get(reverse("landing:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Residence and work permits" in text and "BIE" in text
    assert reverse("account_signup") + "?next=" in text
    contacts = client.get(reverse("landing:contacts"))
    assert contacts.status_code == 200
    assert "Skåne" in contacts.content.decode()
    assert "economic attaché" in contacts.content.decode()


def test_the_intake_needs_a_login_then_makes_the_plan(client, founder, routing_rules):
    url = reverse("landing:intake")
    assert client.get(url).status_code == 302
    client.force_login(founder)
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "company_name": "Maple AI",
            "country": "CA",
            "city": "Toronto",
            "sector": "ict",
            "stage": "pre_seed",
            "team_size": "3",
            "arrival_date": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
            "needs": ["company", "permits", "eu_contacts"],
            "about": "",
            "consent": "on",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("landing:plan")
    plan = LandingPlan.objects.get(user=founder)
    assert plan.steps.count() == 3
    page = client.get(reverse("landing:plan"))
    assert "0 of 3 steps done" in page.content.decode()
    assert client.get(url).status_code == 302  # one plan each


def test_the_intake_says_what_is_wrong(client, founder, routing_rules):
    client.force_login(founder)
    answer = client.post(
        reverse("landing:intake"),
        {
            "company_name": "",
            "country": "BE",
            "team_size": "0",
            "arrival_date": "1900-01-01",
            "needs": ["nonsense"],
        },
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert {"company_name", "country", "team_size", "arrival_date", "needs"} <= set(form.errors)
    assert not LandingPlan.objects.exists()


def test_the_plan_page_sends_a_founder_without_a_plan_to_the_intake(client, founder):
    client.force_login(founder)
    assert client.get(reverse("landing:plan"))["Location"] == reverse("landing:intake")
    assert client.get(reverse("landing:itinerary"))["Location"] == reverse("landing:intake")


def test_ticking_a_step_from_the_plan_page(client, founder, make_plan):
    step = make_plan(founder).steps.first()
    client.force_login(founder)
    url = reverse("landing:step_toggle", args=[step.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"done": "1"}).status_code == 302
    step.refresh_from_db()
    assert step.done_at is not None
    client.post(url, {"done": "0"})
    step.refresh_from_db()
    assert step.done_at is None


def test_another_founders_step_is_a_404(client, founder, make_plan):
    step = make_plan(founder).steps.first()
    client.force_login(UserFactory())
    assert (
        client.post(reverse("landing:step_toggle", args=[step.pk]), {"done": "1"}).status_code
        == 404
    )
    step.refresh_from_db()
    assert step.done_at is None


@pytest.mark.parametrize(
    "query",
    [
        {"week": "garbage"},
        {"week": "9999-99-99"},
        {"week": "0001-01-01"},
        {"week": "2026-02-30\x00"},
        {"week": ["a", "b"]},
    ],
)
def test_hostile_week_parameters_get_a_page(client, founder, make_plan, query):
    make_plan(founder)
    client.force_login(founder)
    assert client.get(reverse("landing:itinerary"), query).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"agency_1": "x"},
        {"agency_1": "999999"},
        {"agency_999": "1"},
        {"week": "x", "agency_1": "-1"},
        {},
    ],
)
def test_hostile_itinerary_posts_get_a_form_error(client, founder, make_plan, data):
    make_plan(founder)
    client.force_login(founder)
    answer = client.post(reverse("landing:itinerary"), data)
    assert answer.status_code == 400


def test_the_overview_is_for_the_coordinator_only(client, founder, make_plan, coordinator):
    make_plan(founder)
    client.force_login(founder)
    assert client.get(reverse("landing:overview")).status_code == 404
    assert client.get(reverse("landing:overview_csv")).status_code == 404
    client.force_login(coordinator)
    page = client.get(reverse("landing:overview"))
    assert page.status_code == 200
    assert "Lisboa Robotics" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"stuck": "nonsense", "country": "ZZ", "arrival": "x", "page": "-3"},
        {"q": "\x00drop", "page": "abc"},
        {"page": "999"},
    ],
)
def test_hostile_overview_filters_get_a_page(client, coordinator, make_plan, founder, query):
    make_plan(founder)
    client.force_login(coordinator)
    assert client.get(reverse("landing:overview"), query).status_code == 200
    assert client.get(reverse("landing:overview_csv"), query).status_code == 200


def test_the_csv_export_lists_each_plan(client, coordinator, make_plan, founder):
    make_plan(founder)
    client.force_login(coordinator)
    answer = client.get(reverse("landing:overview_csv"))
    text = answer.content.decode("utf-8-sig")
    assert "Lisboa Robotics" in text and "Portugal" in text and founder.email in text


def test_the_founder_moves_the_arrival_and_adds_a_routed_step(client, founder, make_plan):
    from needs.models import RoutedNeed

    plan = make_plan(founder, needs=["permits"])
    client.force_login(founder)
    url = reverse("landing:plan_edit")
    page = client.get(url)
    assert page.status_code == 200
    assert "permits" not in dict(page.context["form"].fields["add_needs"].choices)
    new_arrival = timezone.localdate() + datetime.timedelta(days=90)
    again = client.post(url, {"arrival_date": new_arrival.isoformat(), "add_needs": ["permits"]})
    assert again.status_code == 200 and "add_needs" in again.context["form"].errors
    answer = client.post(
        url, {"arrival_date": new_arrival.isoformat(), "add_needs": ["recruitment"]}
    )
    assert answer.status_code == 302
    plan.refresh_from_db()
    assert plan.arrival_date == new_arrival
    assert sorted(plan.steps.values_list("code", flat=True)) == ["permits", "recruitment"]
    assert RoutedNeed.objects.filter(
        need__landing_step__code="recruitment", agency__slug="impulse"
    ).exists()


def test_the_update_form_refuses_a_date_far_away(client, founder, make_plan):
    make_plan(founder)
    client.force_login(founder)
    answer = client.post(reverse("landing:plan_edit"), {"arrival_date": "2099-01-01"})
    assert answer.status_code == 200 and "arrival_date" in answer.context["form"].errors


def test_a_weekend_arrival_opens_the_itinerary_on_the_next_week(client, founder, make_plan, week):
    saturday = week + datetime.timedelta(days=5)
    make_plan(founder, arrival=saturday)
    client.force_login(founder)
    page = client.get(reverse("landing:itinerary"))
    assert page.context["week"] == week + datetime.timedelta(days=7)


def test_a_wednesday_arrival_opens_the_itinerary_on_its_own_week(client, founder, make_plan, week):
    make_plan(founder, arrival=week + datetime.timedelta(days=2))
    client.force_login(founder)
    assert client.get(reverse("landing:itinerary")).context["week"] == week


def test_an_agency_free_in_none_of_the_weeks_is_named_with_a_way_to_reach_it(
    client, founder, make_plan, week
):
    make_plan(founder, needs=["permits"], arrival=week)
    client.force_login(founder)
    page = client.get(reverse("landing:itinerary"))
    assert [a.slug for a in page.context["unavailable"]] == ["bie"]
    assert page.context["missing"] == []
    text = page.content.decode()
    assert "No free time in any of the coming weeks with:" in text
    assert "No free time this week with:" not in text


def test_a_week_without_any_free_time_shows_no_booking_form(client, founder, make_plan, week):
    make_plan(founder, needs=["permits"], arrival=week)
    client.force_login(founder)
    page = client.get(reverse("landing:itinerary"))
    assert page.context["bookable"] is False
    assert "Book these meetings" not in page.content.decode()
