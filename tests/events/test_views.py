import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.factories import AgencyFactory, IncubatorFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Registration.Status


def test_the_agenda_lists_upcoming_published_events_with_places_left(client, make_event):
    shown = make_event(title="Founders drinks", capacity=5)
    services.registration_create(event_id=shown.pk, user=UserFactory())
    make_event(title="Secret draft", status=Event.Status.DRAFT)
    make_event(title="Long gone", starts_at=timezone.now() - datetime.timedelta(days=3))
    page = client.get("/en/events/").content.decode()
    assert "Founders drinks" in page
    assert "4 places left" in page
    assert "Secret draft" not in page
    assert "Long gone" not in page


def test_the_agenda_filters_by_kind_organiser_language_and_dates(
    client, make_event, reference_data
):
    agency = AgencyFactory()
    make_event(title="Pitch workshop", kind=Event.Kind.WORKSHOP, organiser_agency=agency)
    info = make_event(
        title="Info about loans",
        kind=Event.Kind.INFO_SESSION,
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )
    info.languages.set(["nl"])
    page = client.get("/en/events/?kind=workshop").content.decode()
    assert "Pitch workshop" in page and "Info about loans" not in page
    page = client.get(f"/en/events/?organiser=agency:{agency.slug}").content.decode()
    assert "Pitch workshop" in page and "Info about loans" not in page
    page = client.get("/en/events/?language=nl").content.decode()
    assert "Pitch workshop" not in page and "Info about loans" in page
    start = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    page = client.get(f"/en/events/?start={start}").content.decode()
    assert "Pitch workshop" not in page and "Info about loans" in page


@pytest.mark.parametrize("query", ["start=0001-01-01", "end=9999-12-31"])
def test_a_day_out_of_range_in_the_agenda_filter_is_a_form_error_in_the_readers_language(
    client, make_event, query
):
    make_event(title="Founders drinks")
    response = client.get(f"/nl/events/?{query}")
    assert response.status_code == 200
    assert "Kies een datum tussen" in response.content.decode()


def test_the_event_page_has_open_graph_tags(client, make_event):
    event = make_event(title="Founders drinks", description="Meet & greet.")
    page = client.get(f"/fr/events/{event.slug}/").content.decode()
    assert '<meta property="og:type" content="event">' in page
    assert '<meta property="og:title" content="Founders drinks">' in page
    assert '<meta property="og:description" content="Meet &amp; greet.">' in page
    assert f'content="http://testserver/fr/events/{event.slug}/"' in page


def test_a_draft_event_is_a_404(client, make_event):
    event = make_event(status=Event.Status.DRAFT)
    assert client.get(f"/en/events/{event.slug}/").status_code == 404


def test_the_page_says_when_registration_opens_or_that_it_is_closed(client, make_event):
    soon = make_event(registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    assert "Registration opens on" in client.get(f"/en/events/{soon.slug}/").content.decode()
    closed = make_event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    Event.objects.filter(pk=closed.pk).update(registration_opens_at=None)
    assert "Registration is closed." in client.get(f"/en/events/{closed.slug}/").content.decode()


def test_a_full_event_offers_the_waiting_list(client, make_event):
    event = make_event(capacity=1)
    services.registration_create(event_id=event.pk, user=UserFactory())
    client.force_login(UserFactory())
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Join the waiting list" in page


def test_signing_in_and_registering_leads_to_the_ticket_with_its_qr_code(client, make_event):
    event = make_event()
    user = UserFactory()
    client.force_login(user)
    response = client.post(f"/en/events/{event.slug}/register/")
    registration = Registration.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/en/events/tickets/{registration.token}/"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Show this code at the entrance" in page


def test_a_guest_registers_with_name_and_email(client, make_event):
    event = make_event()
    response = client.post(
        f"/en/events/{event.slug}/register/",
        {"guest_name": "Ann", "guest_email": "ann@example.org"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(guest_email="ann@example.org").status == S.PENDING_EMAIL


def test_the_ticket_page_cancels_and_the_place_goes_to_the_first_in_line(client, make_event):
    event = make_event(capacity=1)
    holder = services.registration_create(event_id=event.pk, user=UserFactory())
    first = services.registration_create(event_id=event.pk, user=UserFactory())
    assert client.get(f"/en/events/tickets/{holder.token}/cancel/").status_code == 200
    response = client.post(f"/en/events/tickets/{holder.token}/cancel/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=first.pk).status == S.OFFERED
    response = client.post(f"/en/events/tickets/{first.token}/accept/")
    assert Registration.objects.get(pk=first.pk).status == S.CONFIRMED


def test_an_unknown_ticket_is_a_404(client):
    assert client.get("/en/events/tickets/nope/").status_code == 404


def test_the_event_calendar_file_and_the_feed(client, make_event):
    event = make_event(title="Founders drinks", venue=IncubatorFactory(name="Le Village"))
    response = client.get(f"/en/events/{event.slug}/calendar.ics")
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    assert "SUMMARY:Founders drinks" in body and "Le Village" in body
    assert "BEGIN:VTIMEZONE" in body
    make_event(title="Draft", status=Event.Status.DRAFT)
    feed = client.get("/events.ics").content.decode()
    assert "Founders drinks" in feed and "Draft" not in feed
    assert f"event-{event.uid}@hub-eu" in feed


def test_the_feed_keeps_past_events_for_ninety_days(client, make_event):
    now = timezone.now()
    make_event(title="Last month's drinks", starts_at=now - datetime.timedelta(days=30))
    make_event(title="Last year's drinks", starts_at=now - datetime.timedelta(days=200))
    feed = client.get("/events.ics").content.decode()
    assert "Last month's drinks" in feed and "Last year's drinks" not in feed


@pytest.mark.parametrize("slug", ["manage", "checkin", "tickets", "confirm"])
def test_an_event_cannot_take_a_slug_the_sites_addresses_use(make_event, slug):
    event = Event(slug=slug, kind=Event.Kind.WORKSHOP, title="T", capacity=5, address="x")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "slug" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(slug=slug)


def test_the_registration_form_links_to_the_privacy_notice(client, make_event):
    event = make_event()
    page = client.get(f"/nl/events/{event.slug}/").content.decode()
    assert 'action="/nl/events/' in page
    assert 'Hoe we uw gegevens gebruiken: <a href="/nl/privacy/">' in page


def test_my_space_lists_my_coming_events_with_my_place_and_a_link_to_the_ticket(client, make_event):
    person = UserFactory()
    soon = make_event(title="Founders drinks", capacity=1)
    mine = services.registration_create(event_id=soon.pk, user=person)
    full = make_event(title="Pitch night", capacity=1)
    services.registration_create(event_id=full.pk, user=UserFactory())
    waiting = services.registration_create(event_id=full.pk, user=person)
    past = make_event(title="Long gone", starts_at=timezone.now() - datetime.timedelta(days=3))
    Registration.objects.create(event=past, user=person, status=S.CONFIRMED)
    cancelled = make_event(title="Changed my mind")
    gone = services.registration_create(event_id=cancelled.pk, user=person)
    services.registration_cancel(registration_id=gone.pk)
    client.force_login(person)
    page = client.get("/en/me/").content.decode()
    assert f'href="{mine.get_absolute_url()}"' in page and "Founders drinks" in page
    assert f'href="{waiting.get_absolute_url()}"' in page
    assert "You are number 1 on the waiting list." in page
    assert "Long gone" not in page and "Changed my mind" not in page
