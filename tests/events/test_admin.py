import datetime
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from events import services
from events.models import Event, Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Registration.Status


@pytest.fixture
def coordinator():
    return UserFactory(role="coordinator", is_staff=True, is_superuser=True)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_larger_capacity_saved_in_the_admin_offers_the_new_places(make_event, coordinator):
    event = make_event(capacity=1)
    services.registration_create(event_id=event.pk, user=UserFactory())
    waiting = services.registration_create(event_id=event.pk, user=UserFactory())
    model_admin = admin.site._registry[Event]
    request = _request(coordinator)
    event.capacity = 2
    model_admin.save_model(request, event, form=None, change=True)
    form = SimpleNamespace(instance=event, save_m2m=lambda: None)
    model_admin.save_related(request, form, formsets=[], change=True)
    assert Registration.objects.get(pk=waiting.pk).status == S.OFFERED


def test_the_admin_actions_approve_and_refuse_through_the_services(client, make_event, coordinator):
    event = make_event(capacity=2, approval=Event.Approval.MANUAL)
    one = services.registration_create(event_id=event.pk, user=UserFactory())
    two = services.registration_create(event_id=event.pk, user=UserFactory())
    waiting = services.registration_create(event_id=event.pk, user=UserFactory())
    client.force_login(coordinator)
    url = "/en/admin/events/registration/"
    client.post(url, {"action": "approve", "_selected_action": [one.pk]})
    client.post(url, {"action": "refuse", "_selected_action": [two.pk]})
    assert Registration.objects.get(pk=one.pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=two.pk).status == S.REFUSED
    assert Registration.objects.get(pk=waiting.pk).status == S.OFFERED
    assert client.get(f"/en/admin/events/event/{event.pk}/change/").status_code == 200
    assert client.get("/en/admin/events/event/add/").status_code == 200


def test_a_new_time_saved_in_the_admin_raises_the_calendar_sequence(make_event, coordinator):
    event = make_event()
    model_admin = admin.site._registry[Event]
    request = _request(coordinator)
    model_admin.save_model(request, event, form=None, change=True)
    session = event.sessions.get()
    session.starts_at += datetime.timedelta(hours=1)
    session.ends_at += datetime.timedelta(hours=1)
    session.save()
    form = SimpleNamespace(instance=event, save_m2m=lambda: None)
    model_admin.save_related(request, form, formsets=[], change=True)
    event.refresh_from_db()
    assert event.sequence == 1
    model_admin.save_model(request, event, form=None, change=True)
    model_admin.save_related(request, form, formsets=[], change=True)  # nothing changed
    event.refresh_from_db()
    assert event.sequence == 1
