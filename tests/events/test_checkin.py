"""Check-in at the door: a ticket's QR code opened by the event's staff, the name search,
the attendance list and the no-shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from events.checkin import (
    NotCheckable,
    can_manage_event,
    event_attendance,
    registration_check_in,
)
from events.models import Registration
from events.signals import registration_checked_in
from tests.factories import AdvisorFactory, AgencyFactory, IncubatorFactory, UserFactory


def register(event, user=None, *, status=Registration.Status.CONFIRMED, **fields):
    if user is None and "guest_email" not in fields:
        user = UserFactory()
    return Registration.objects.create(event=event, user=user, status=status, **fields)


@pytest.fixture
def organiser(db):
    return UserFactory(first_name="Olga", last_name="Organiser")


@pytest.fixture
def event(make_event, organiser):
    event = make_event(title="Soirée networking")
    event.organisers.add(organiser)
    return event


def checkin_url(registration):
    return reverse("events:checkin", kwargs={"token": registration.token})


def test_it_shows_the_person_and_a_check_in_button_to_an_organiser(client, event, organiser):
    registration = register(event, UserFactory(first_name="Ana", last_name="Peeters"))
    client.force_login(organiser)
    page = client.get(checkin_url(registration))
    assert page.status_code == 200
    assert "Ana Peeters" in page.content.decode()
    assert 'id="checkin-button"' in page.content.decode()


def test_it_checks_in_on_post_and_then_says_when(client, event, organiser):
    registration = register(event)
    client.force_login(organiser)
    response = client.post(checkin_url(registration))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == organiser
    page = client.get(checkin_url(registration)).content.decode()
    at = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    assert f"Already checked in at {at}" in page
    assert 'id="checkin-button"' not in page


def test_a_second_check_in_keeps_the_first_time_and_signals_once(event, organiser):
    registration = register(event)
    received = []

    def receiver(sender, registration, **kwargs):
        received.append(registration.pk)

    registration_checked_in.connect(receiver)
    try:
        first = registration_check_in(registration=registration, by=organiser)
        at = registration.checked_in_at
        second = registration_check_in(registration=registration, by=UserFactory())
    finally:
        registration_checked_in.disconnect(receiver)
    assert first.done_now and not second.done_now
    registration.refresh_from_db()
    assert registration.checked_in_at == at
    assert registration.checked_in_by == organiser
    assert received == [registration.pk]


def test_it_refuses_to_check_in_a_registration_without_a_confirmed_place(event, organiser):
    waiting = register(event, status=Registration.Status.WAITLISTED, waitlist_position=1)
    with pytest.raises(NotCheckable):
        registration_check_in(registration=waiting, by=organiser)
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_a_non_staff_person_gets_a_404(client, event):
    registration = register(event)
    client.force_login(UserFactory())
    assert client.get(checkin_url(registration)).status_code == 404
    assert client.post(checkin_url(registration)).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_an_unknown_ticket_is_a_404_and_a_stranger_must_sign_in(client, event, organiser):
    registration = register(event)
    response = client.get(checkin_url(registration))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(organiser)
    unknown = reverse("events:checkin", kwargs={"token": "not-a-ticket"})
    assert client.get(unknown).status_code == 404


def test_the_staff_of_the_organiser_manage_the_event(make_event):
    agency, incubator = AgencyFactory(), IncubatorFactory()
    by_agency = make_event(organiser_agency=agency)
    by_incubator = make_event(organiser_incubator=incubator)
    advisor = AdvisorFactory(agency=agency).user
    other_advisor = AdvisorFactory().user
    manager = UserFactory(role=Role.INCUBATOR_MANAGER)
    incubator.managers.add(manager)
    coordinator = UserFactory(role=Role.COORDINATOR, is_staff=True)
    assert can_manage_event(advisor, by_agency) and not can_manage_event(advisor, by_incubator)
    assert not can_manage_event(other_advisor, by_agency)
    assert can_manage_event(manager, by_incubator) and not can_manage_event(manager, by_agency)
    assert can_manage_event(coordinator, by_agency) and can_manage_event(coordinator, by_incubator)


def test_the_search_finds_confirmed_people_by_name_or_email_and_checks_them_in(
    client, event, organiser
):
    ana = register(event, UserFactory(first_name="Ana", last_name="Peeters"))
    register(event, UserFactory(first_name="Bram", last_name="Janssens"))
    guest = register(event, guest_name="Chloé Dubois", guest_email="chloe@example.org")
    register(
        event,
        UserFactory(first_name="Ana", last_name="Waiting"),
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    client.force_login(organiser)
    url = reverse("events:organiser_checkin", kwargs={"slug": event.slug})
    partial = client.get(url, {"q": "ana"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Ana Peeters" in partial and "Waiting" not in partial and "Bram" not in partial
    assert "<html" not in partial
    assert "Chloé Dubois" in client.get(url, {"q": "CHLOE@"}).content.decode()
    row = reverse("events:organiser_checkin_person", kwargs={"slug": event.slug, "pk": ana.pk})
    answer = client.post(row, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "Checked in at" in answer.content.decode()
    ana.refresh_from_db()
    guest.refresh_from_db()
    assert ana.checked_in_at is not None and guest.checked_in_at is None


def test_the_search_does_not_reach_another_event(client, event, organiser, make_event):
    other = make_event()
    stranger = register(other, UserFactory(first_name="Zoë"))
    client.force_login(organiser)
    url = reverse("events:organiser_checkin", kwargs={"slug": event.slug})
    found = client.get(url, {"q": "Zoë"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"checkin-{stranger.pk}" not in found and "No confirmed participant" in found
    row = reverse("events:organiser_checkin_person", kwargs={"slug": event.slug, "pk": stranger.pk})
    assert client.post(row).status_code == 404
    other_url = reverse("events:organiser_checkin", kwargs={"slug": other.slug})
    assert client.get(other_url).status_code == 404


def test_no_shows_are_counted_once_the_event_is_over(event, organiser):
    came, _missed, _too = register(event), register(event), register(event)
    register(event, status=Registration.Status.CANCELLED)
    registration_check_in(registration=came, by=organiser)
    during = event_attendance(event=event)
    assert (during.confirmed, during.checked_in, during.no_shows) == (3, 1, None)
    after = event.sessions.get().ends_at + datetime.timedelta(minutes=1)
    done = event_attendance(event=event, now=after)
    assert (done.confirmed, done.checked_in, done.no_shows) == (3, 1, 2)


def test_the_attendance_list_shows_who_came_and_the_no_shows(client, make_event, organiser):
    past = timezone.now() - datetime.timedelta(days=1)
    event = make_event(starts_at=past)
    event.organisers.add(organiser)
    came = register(event, UserFactory(first_name="Ana", last_name="Present"))
    register(event, UserFactory(first_name="Bram", last_name="Absent"))
    registration_check_in(registration=came, by=organiser)
    client.force_login(organiser)
    page = client.get(reverse("events:organiser_attendance", kwargs={"slug": event.slug}))
    html = page.content.decode()
    assert 'id="att-no-shows">1<' in html
    assert html.index("Ana Present") < html.index("Bram Absent")


def test_the_registrations_page_shows_status_answers_and_waiting_list_positions(
    client, event, organiser
):
    from events.models import EventQuestion

    question = EventQuestion.objects.create(event=event, label="Your diet")
    register(event, UserFactory(first_name="Ana"), answers={str(question.pk): "Vegan"})
    register(
        event,
        UserFactory(first_name="Bram"),
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    client.force_login(organiser)
    url = reverse("events:organiser_registrations", kwargs={"slug": event.slug})
    html = client.get(url).content.decode()
    assert "Your diet" in html and "Vegan" in html
    assert "On the waiting list · No. 1" in html
    only_waiting = client.get(url, {"status": "waitlisted"}).content.decode()
    assert "Bram" in only_waiting and "Vegan" not in only_waiting


def test_the_list_of_managed_events_shows_only_ones_own(client, event, organiser, make_event):
    other = make_event(title="Another evening")
    client.force_login(organiser)
    html = client.get(reverse("events:organiser_events")).content.decode()
    assert event.title in html and other.title not in html
    client.force_login(UserFactory())
    assert client.get(reverse("events:organiser_events")).status_code == 404


def test_the_event_page_links_its_staff_to_the_organiser_pages(client, event, organiser):
    page = reverse("events:event_detail", kwargs={"slug": event.slug})
    client.force_login(UserFactory())
    assert 'id="organiser-links"' not in client.get(page).content.decode()
    client.force_login(organiser)
    html = client.get(page).content.decode()
    assert reverse("events:organiser_registrations", kwargs={"slug": event.slug}) in html
