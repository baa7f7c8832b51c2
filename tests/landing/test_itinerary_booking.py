"""Candidates read from the database, and booking an itinerary: all or nothing."""

import datetime

import pytest
from django.urls import reverse

from landing import services
from landing.models import Itinerary, ItineraryItem
from landing.selectors import itinerary_candidates
from notifications.models import Notification
from permanences.models import Booking, Slot
from permanences.services import booking_create as real_booking_create
from tests.factories import UserFactory

from .conftest import EAST, NORTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(founder, make_plan, schedule, slot_at, place, week):
    """A founder arriving on the week's Wednesday, needing BIE (permits) and Impulse
    (recruitment); BIE online on Tuesday and on site on Thursday, Impulse on site."""
    arrival = week + datetime.timedelta(days=2)
    plan = make_plan(founder, needs=["permits", "recruitment"], arrival=arrival)
    north, east = place(**NORTH), place(**EAST)
    bie_online = schedule("bie", north, online=True)
    bie_site = schedule("bie", north)
    impulse = schedule("impulse", east)
    slots = {
        "bie_online_tue": slot_at(bie_online, week + datetime.timedelta(days=1), 10),
        "bie_site_mon": slot_at(bie_site, week, 10),  # before arrival: not offered
        "bie_site_thu": slot_at(bie_site, week + datetime.timedelta(days=3), 10),
        "impulse_thu_1045": slot_at(impulse, week + datetime.timedelta(days=3), 10, 45),
        "impulse_thu_14": slot_at(impulse, week + datetime.timedelta(days=3), 14),
        "impulse_tue": slot_at(impulse, week + datetime.timedelta(days=1), 11),  # abroad
    }
    return plan, slots


def _ids(candidates):
    return {c.slot_id for c in candidates}


def test_only_online_meetings_are_offered_while_the_founder_is_abroad(setup, week):
    plan, slots = setup
    candidates = itinerary_candidates(plan=plan, weeks=[week])[week]
    bie = plan.steps.get(code="permits").agencies.get()
    impulse = plan.steps.get(code="recruitment").agencies.get()
    assert _ids(candidates[bie.pk]) == {slots["bie_online_tue"].pk, slots["bie_site_thu"].pk}
    assert _ids(candidates[impulse.pk]) == {
        slots["impulse_thu_1045"].pk,
        slots["impulse_thu_14"].pk,
    }


def test_members_only_permanences_are_not_offered(
    founder, make_plan, schedule, slot_at, place, week
):
    plan = make_plan(founder, needs=["permits"], arrival=week)
    slot_at(schedule("bie", place(), audience="members"), week + datetime.timedelta(days=1), 10)
    assert not any(itinerary_candidates(plan=plan, weeks=[week])[week].values())


def test_a_full_slot_or_one_overlapping_the_founders_booking_is_not_offered(
    setup, week, category, slot_at
):
    plan, slots = setup
    impulse_1015 = slot_at(
        slots["impulse_thu_14"].schedule, week + datetime.timedelta(days=3), 10, 15
    )
    other = UserFactory()
    real_booking_create(
        slot_id=slots["bie_online_tue"].pk,
        user=other,
        category=category,
        topic="x",
        language="en",
        consent_share_profile=False,
    )
    real_booking_create(
        slot_id=slots["bie_site_thu"].pk,
        user=plan.user,
        category=category,
        topic="x",
        language="en",
        consent_share_profile=False,
    )
    candidates = itinerary_candidates(plan=plan, weeks=[week])[week]
    offered = set().union(*(_ids(v) for v in candidates.values()))
    assert slots["bie_online_tue"].pk not in offered
    assert impulse_1015.pk not in offered  # overlaps their own booking
    assert slots["impulse_thu_1045"].pk in offered


def _choices(plan, *slots):
    return {slot.agency_id: slot.pk for slot in slots}


def test_it_books_one_meeting_per_agency_in_one_go(setup, week):
    plan, slots = setup
    itinerary = services.itinerary_book(
        consent_share_profile=True,
        plan=plan,
        week=week,
        choices=_choices(plan, slots["bie_online_tue"], slots["impulse_thu_14"]),
    )
    bookings = Booking.objects.filter(user=plan.user, status="confirmed")
    assert {b.slot_id for b in bookings} == {slots["bie_online_tue"].pk, slots["impulse_thu_14"].pk}
    assert itinerary.items.count() == 2
    assert all("Lisboa Robotics" in b.topic for b in bookings)
    assert Notification.objects.filter(
        kind="landing_itinerary_booked", recipient=plan.user
    ).exists()


def test_when_the_second_slot_is_taken_the_first_booking_is_rolled_back(
    setup, week, monkeypatch, category
):
    plan, slots = setup
    first, second = slots["bie_online_tue"], slots["impulse_thu_14"]
    calls = []

    def racing_booking_create(**kwargs):
        calls.append(kwargs["slot_id"])
        if kwargs["slot_id"] == second.pk:  # someone else takes it just before
            real_booking_create(
                slot_id=second.pk,
                user=UserFactory(),
                category=category,
                topic="x",
                language="en",
                consent_share_profile=False,
            )
        return real_booking_create(**kwargs)

    monkeypatch.setattr(services, "booking_create", racing_booking_create)
    with pytest.raises(services.LandingRefused) as refused:
        services.itinerary_book(
            consent_share_profile=True, plan=plan, week=week, choices=_choices(plan, first, second)
        )
    assert calls == [first.pk, second.pk]
    assert refused.value.code == "taken"
    assert "Impulse" in refused.value.message and "Nothing has been booked" in refused.value.message
    assert not Booking.objects.filter(user=plan.user).exists()
    assert not Itinerary.objects.exists() and not ItineraryItem.objects.exists()
    first.refresh_from_db()
    assert first.booked_count == 0
    assert not Notification.objects.filter(recipient=plan.user, kind="booking_confirmed").exists()


def test_meetings_without_time_to_travel_are_refused_before_booking(setup, week):
    plan, slots = setup
    with pytest.raises(services.LandingRefused) as refused:
        services.itinerary_book(
            consent_share_profile=True,
            plan=plan,
            week=week,
            choices=_choices(plan, slots["bie_site_thu"], slots["impulse_thu_1045"]),
        )
    assert "not enough time" in refused.value.message
    assert not Booking.objects.exists()


def test_an_on_site_meeting_before_arrival_is_refused(setup, week):
    plan, slots = setup
    with pytest.raises(services.LandingRefused):
        services.itinerary_book(
            consent_share_profile=True,
            plan=plan,
            week=week,
            choices=_choices(plan, slots["bie_site_mon"]),
        )
    assert not Booking.objects.exists()


def test_the_page_proposes_a_fitting_itinerary_and_books_it(client, setup, week):
    plan, slots = setup
    client.force_login(plan.user)
    url = reverse("landing:itinerary")
    page = client.get(url, {"week": week.isoformat()})
    assert page.status_code == 200
    form = page.context["form"]
    proposed = {name: form[name].initial for name in form.fields if name.startswith("agency_")}
    bie, impulse = slots["bie_online_tue"].agency_id, slots["impulse_thu_14"].agency_id
    # Both on Thursday (one day rather than two): BIE at 10:00 leaves no time to cross
    # the city to Impulse at 10:45, so Impulse at 14:00.
    assert proposed == {
        f"agency_{bie}": str(slots["bie_site_thu"].pk),
        f"agency_{impulse}": str(slots["impulse_thu_14"].pk),
    }
    refused = client.post(url, {"week": week.isoformat(), **proposed})
    assert refused.status_code == 400  # without agreeing to share the profile
    assert "consent_share_profile" in refused.context["form"].errors
    done = client.post(
        url,
        {"week": week.isoformat(), **proposed, "consent_share_profile": "on", "note": "Hi!"},
    )
    assert done.status_code == 302
    bookings = Booking.objects.filter(user=plan.user, status="confirmed")
    assert bookings.count() == 2
    assert all(b.consent_share_profile and b.topic.endswith("Hi!") for b in bookings)


def test_a_slot_taken_meanwhile_gets_a_polite_answer(client, setup, week, category):
    plan, slots = setup
    client.force_login(plan.user)
    url = reverse("landing:itinerary")
    bie, impulse = slots["bie_online_tue"], slots["impulse_thu_14"]
    data = {
        "week": week.isoformat(),
        f"agency_{bie.agency_id}": bie.pk,
        f"agency_{impulse.agency_id}": impulse.pk,
        "consent_share_profile": "on",
    }
    Slot.objects.filter(pk=impulse.pk).update(booked_count=1)  # taken by someone
    answer = client.post(url, data)
    assert answer.status_code == 400
    assert "This time is no longer available" in answer.content.decode()
    assert not Booking.objects.filter(user=plan.user).exists()


def test_a_slot_taken_while_booking_gets_a_409_naming_it(
    client, setup, week, category, monkeypatch
):
    plan, slots = setup
    bie, impulse = slots["bie_online_tue"], slots["impulse_thu_14"]

    def racing_booking_create(**kwargs):
        if kwargs["slot_id"] == impulse.pk:
            real_booking_create(
                slot_id=impulse.pk,
                user=UserFactory(),
                category=category,
                topic="x",
                language="en",
                consent_share_profile=False,
            )
        return real_booking_create(**kwargs)

    monkeypatch.setattr(services, "booking_create", racing_booking_create)
    client.force_login(plan.user)
    answer = client.post(
        reverse("landing:itinerary"),
        {
            "week": week.isoformat(),
            f"agency_{bie.agency_id}": bie.pk,
            f"agency_{impulse.agency_id}": impulse.pk,
            "consent_share_profile": "on",
        },
    )
    assert answer.status_code == 409
    text = answer.content.decode()
    assert "Impulse" in text and "was just taken" in text and "Nothing has been booked" in text
    assert not Booking.objects.filter(user=plan.user).exists()


def test_the_proposal_leaves_time_to_travel_from_a_meeting_already_booked(
    client, setup, week, category
):
    plan, slots = setup
    # The founder already meets BIE on site on Thursday at 10:00 (outside the plan).
    real_booking_create(
        slot_id=slots["bie_site_thu"].pk,
        user=plan.user,
        category=category,
        topic="x",
        language="en",
        consent_share_profile=False,
    )
    client.force_login(plan.user)
    page = client.get(reverse("landing:itinerary"), {"week": week.isoformat()})
    impulse = slots["impulse_thu_14"].agency_id
    # 10:45 at the other end of town is offered but not proposed: no time to get there.
    assert page.context["form"][f"agency_{impulse}"].initial == str(slots["impulse_thu_14"].pk)
    with pytest.raises(services.LandingRefused):
        services.itinerary_book(
            consent_share_profile=True,
            plan=plan,
            week=week,
            choices={impulse: slots["impulse_thu_1045"].pk},
        )
