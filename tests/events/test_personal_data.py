import datetime

import pytest
from django.utils import timezone

from events import personal_data, services
from events.models import Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Registration.Status


def test_a_persons_registrations_are_in_their_export(make_event):
    event = make_event(title="Founders drinks")
    user = UserFactory()
    services.registration_create(event_id=event.pk, user=user)
    [row] = personal_data.registrations(user)
    assert row["event"] == "Founders drinks"
    assert row["status"] == "Confirmed"


def test_erasing_an_account_cancels_coming_registrations_and_offers_the_place(make_event):
    event = make_event(capacity=1)
    leaving = UserFactory()
    services.registration_create(event_id=event.pk, user=leaving)
    waiting = services.registration_create(event_id=event.pk, user=UserFactory())
    personal_data.erase(leaving)
    assert Registration.objects.get(user=leaving).status == S.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == S.OFFERED


def test_after_the_retention_period_guests_and_answers_are_anonymised(make_event):
    event = make_event(starts_at=timezone.now() + datetime.timedelta(days=1))
    guest = services.registration_create(
        event_id=event.pk, guest_name="Ann", guest_email="ann@example.org"
    )
    before = timezone.now() + datetime.timedelta(days=2)
    assert personal_data.purge(before=before, dry_run=True) == 1
    assert personal_data.purge(before=before) == 1
    guest.refresh_from_db()
    assert guest.guest_name == "" and guest.guest_email.endswith("@erased.invalid")
    assert personal_data.purge(before=before) == 0
