import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event, EventSession


@pytest.fixture
def make_event(db):
    """A published event in a week (one session 18:00-21:00), 10 places, open to everyone,
    automatic approval, at an address, unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(**overrides) -> Event:
        starts = overrides.pop(
            "starts_at", timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
        )
        n = next(counter)
        data = {
            "slug": f"event-{n}-{starts:%H%M%S}",
            "kind": Event.Kind.NETWORKING,
            "title": f"Networking evening {n}",
            "description": "Meet the ecosystem.",
            "address": "Rue de la Loi 16, 1000 Bruxelles",
            "capacity": 10,
            "status": Event.Status.PUBLISHED,
            **overrides,
        }
        event = Event.objects.create(**data)
        EventSession.objects.create(
            event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
        )
        return event

    return make


@pytest.fixture
def send_all():
    """Send what the outbox and the guest queue hold; returns the messages sent."""
    from notifications import sending

    def do() -> list:
        mail.outbox.clear()
        sending.notifications_dispatch(seconds=30)
        return list(mail.outbox)

    return do
