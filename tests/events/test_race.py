"""Fifty people register at the same instant for an event with ten places, each in a
thread with its own database connection and transaction (on PostgreSQL the row lock on
the event serialises them; on SQLite the IMMEDIATE transactions do): ten places, forty
on the waiting list at positions 1..40, no error. Then the ten cancel at once: the ten
first in line get the offers, the others move up without a gap."""

import threading

import pytest
from django.db import connection

from events import services
from events.models import Registration
from tests.factories import UserFactory

PEOPLE = 50
PLACES = 10

S = Registration.Status


def _at_once(calls) -> list[Exception]:
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=60)
            call()
        except Exception as exc:  # noqa: BLE001 - counted, and shown if any
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_for_ten_places(make_event):
    event = make_event(capacity=PLACES)
    users = [UserFactory() for _ in range(PEOPLE)]
    errors = _at_once(
        [
            lambda user=user: services.registration_create(event_id=event.pk, user=user)
            for user in users
        ]
    )
    assert errors == []
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status=S.CONFIRMED).count() == PLACES
    positions = sorted(
        registrations.filter(status=S.WAITLISTED).values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, PEOPLE - PLACES + 1))

    # The ten with a place cancel at the same instant: the first ten in line get offers.
    holders = list(registrations.filter(status=S.CONFIRMED).values_list("pk", flat=True))
    first_ten = list(
        registrations.filter(status=S.WAITLISTED, waitlist_position__lte=PLACES).values_list(
            "pk", flat=True
        )
    )
    errors = _at_once(
        [lambda pk=pk: services.registration_cancel(registration_id=pk) for pk in holders]
    )
    assert errors == []
    assert set(registrations.filter(status=S.OFFERED).values_list("pk", flat=True)) == set(
        first_ten
    )
    assert registrations.filter(status__in=Registration.HOLDING_STATUSES).count() == PLACES
    positions = sorted(
        registrations.filter(status=S.WAITLISTED).values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, PEOPLE - 2 * PLACES + 1))
