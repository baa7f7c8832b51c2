"""Founders book itineraries that share a one-to-one slot at the same moment, in real
transactions: one gets both meetings, the others get a polite refusal and keep nothing."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from landing import services
from landing.selectors import monday_of
from permanences.models import Booking
from tests.factories import UserFactory

FOUNDERS = 4


@pytest.mark.django_db(transaction=True)
def test_founders_racing_for_a_slot_get_all_or_nothing(
    routing_rules, make_plan, schedule, slot_at, place
):
    week = monday_of(timezone.localdate() + datetime.timedelta(days=21))
    arrival = week
    plans = [
        make_plan(UserFactory(), needs=["permits", "recruitment"], arrival=arrival)
        for _ in range(FOUNDERS)
    ]
    # The shared slot comes last: the losers have booked their own meeting before failing.
    shared = slot_at(schedule("bie", place(), online=True), week + datetime.timedelta(days=3), 10)
    impulse = schedule("impulse", place())
    own = [slot_at(impulse, week + datetime.timedelta(days=2), 9 + n) for n in range(FOUNDERS)]

    barrier = threading.Barrier(FOUNDERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(plan, slot):
        try:
            barrier.wait()
            services.itinerary_book(
                plan=plan,
                week=week,
                choices={shared.agency_id: shared.pk, slot.agency_id: slot.pk},
                consent_share_profile=True,
            )
            outcome = "booked"
        except services.LandingRefused as exc:
            outcome = exc.code or str(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book, args=(p, s)) for p, s in zip(plans, own, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("booked") == 1, outcomes
    assert set(outcomes) == {"booked", "taken"}, outcomes
    winner = Booking.objects.get(slot=shared, status="confirmed").user
    assert Booking.objects.filter(user=winner).count() == 2
    assert Booking.objects.exclude(user=winner).count() == 0  # the others keep nothing
