"""Several tabs of the entrepreneur confirm offered slots of the same offer at the same
moment, in real transactions: one booking is made, the others are refused politely."""

import threading

import pytest
from django.db import connection

from incubators.models import Agency, NeedCategory
from needs import services
from permanences.models import Booking
from permanences.services import BookingRefused
from tests.factories import AdvisorFactory, UserFactory

TABS = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_clicks_on_one_offer_book_a_single_slot(routing_rules, make_slot):
    bie = Agency.objects.get(slug="bie")
    advisor = AdvisorFactory(agency=bie)
    need = services.need_create(
        user=UserFactory(),
        category=NeedCategory.objects.get(slug="export"),
        description="A stand at a fair in Cologne",
        consent=True,
    )
    routed = need.routings.get()
    slots = [make_slot(days=3, agency=bie), make_slot(days=4, agency=bie)]
    offer = services.routed_need_offer_slots(routed=routed, slots=slots, by=advisor.user)

    barrier = threading.Barrier(TABS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def click(slot):
        try:
            barrier.wait()
            services.slot_offer_take(offer=offer, slot=slot, user=need.user, language="fr")
            outcome = "booked"
        except (services.NeedRefused, BookingRefused) as exc:
            outcome = str(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=click, args=(slots[i % 2],)) for i in range(TABS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("booked") == 1, outcomes
    assert Booking.objects.filter(user=need.user).count() == 1
    offer.refresh_from_db()
    assert offer.taken_booking == Booking.objects.get(user=need.user)
