"""What reaches the registered people besides their ticket: the organisers' message to
all, the reminder before the event, a change of time or place, the cancellation."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import GuestNotice, Registration
from events.notices_operations import (
    EVENT_CANCELLED,
    EVENT_CHANGED,
    EVENT_MESSAGE,
    EVENT_REMINDER,
    event_reminders_plan,
)
from events.operations import event_cancel, event_change_notify, event_snapshot
from notifications.models import Notification
from tests.factories import UserFactory

Status = Registration.Status


def register(event, user=None, *, status=Status.CONFIRMED, **fields):
    if user is None and "guest_email" not in fields:
        user = UserFactory()
    if user is not None:
        fields.setdefault("language", user.language)
    return Registration.objects.create(event=event, user=user, status=status, **fields)


@pytest.fixture
def organiser(db):
    return UserFactory()


@pytest.fixture
def event(make_event, organiser):
    event = make_event(title_fr="Soirée networking", title_nl="Netwerkavond", title_en="Networking")
    event.organisers.add(organiser)
    return event


def bodies(messages) -> dict[str, str]:
    return {m.to[0]: f"{m.subject}\n{m.body}" for m in messages}


def test_the_message_to_all_reaches_each_person_in_their_language(
    client, event, organiser, send_all
):
    fr = register(event, UserFactory(language="fr", email="fr@example.org"))
    nl = register(event, UserFactory(language="nl", email="nl@example.org"))
    register(event, guest_name="Guest", guest_email="guest@example.org", language="en")
    register(
        event,
        UserFactory(email="waiting@example.org", language="fr"),
        status=Status.WAITLISTED,
        waitlist_position=1,
    )
    register(event, UserFactory(email="gone@example.org"), status=Status.CANCELLED)
    client.force_login(organiser)
    url = reverse("events:organiser_message", kwargs={"slug": event.slug})
    response = client.post(
        url, {"audience": "all", "subject": "Parking", "message": "Line one\nLine two"}
    )
    assert response.status_code == 302
    sent = bodies(send_all())
    assert set(sent) == {
        "fr@example.org",
        "nl@example.org",
        "guest@example.org",
        "waiting@example.org",
    }
    assert "Un message des organisateurs" in sent["fr@example.org"]
    assert "Een bericht van de organisatoren" in sent["nl@example.org"]
    assert "A message from the organisers" in sent["guest@example.org"]
    for body in sent.values():
        assert "Parking" in body and "Line one" in body and "Line two" in body
    assert fr.token in sent["fr@example.org"] and nl.token in sent["nl@example.org"]


def test_the_message_can_go_to_the_confirmed_only_and_is_sent_once(event, organiser, send_all):
    from events.operations import registrants_message

    register(event, UserFactory(email="in@example.org"))
    register(
        event, UserFactory(email="wait@example.org"), status=Status.WAITLISTED, waitlist_position=1
    )
    count = registrants_message(
        event=event, subject="S", message="M", by=organiser, audience="confirmed"
    )
    assert count == 1
    assert set(bodies(send_all())) == {"in@example.org"}
    assert send_all() == []


def test_a_stranger_cannot_write_to_the_registrants(client, event):
    register(event)
    client.force_login(UserFactory())
    url = reverse("events:organiser_message", kwargs={"slug": event.slug})
    response = client.post(url, {"audience": "all", "subject": "Spam", "message": "Spam"})
    assert response.status_code == 404
    assert not Notification.objects.filter(kind=EVENT_MESSAGE).exists()


def test_the_reminder_is_planned_once_a_day_before_for_the_confirmed(
    make_event, send_all, settings
):
    starts = timezone.now() + datetime.timedelta(hours=20)
    event = make_event(starts_at=starts)
    early = timezone.now() - datetime.timedelta(days=3)
    confirmed = register(event, UserFactory(email="in@example.org"), confirmed_at=early)
    guest = register(
        event, guest_name="G", guest_email="g@example.org", language="nl", confirmed_at=early
    )
    register(event, UserFactory(), status=Status.WAITLISTED, waitlist_position=1)
    # Confirmed after the reminder's moment: their ticket has just told them.
    register(event, UserFactory(), confirmed_at=timezone.now())
    far = make_event(starts_at=timezone.now() + datetime.timedelta(days=3))
    register(far, UserFactory(), confirmed_at=early)
    now = timezone.now()
    assert event_reminders_plan(now=now) == 2
    assert event_reminders_plan(now=now) == 0
    assert Notification.objects.filter(kind=EVENT_REMINDER).get().subject_id == confirmed.pk
    assert GuestNotice.objects.filter(kind=EVENT_REMINDER).get().registration == guest
    sent = bodies(send_all())
    assert set(sent) == {"in@example.org", "g@example.org"}
    assert "Herinnering" in sent["g@example.org"]


def _move(event, hours=1):
    session = event.sessions.get()
    session.starts_at += datetime.timedelta(hours=hours)
    session.ends_at += datetime.timedelta(hours=hours)
    session.save()


def test_a_change_of_time_reaches_those_holding_a_place_in_their_language(event, send_all):
    register(event, UserFactory(email="fr@example.org", language="fr"))
    register(event, UserFactory(email="nl@example.org", language="nl"))
    register(
        event, UserFactory(email="wait@example.org"), status=Status.WAITLISTED, waitlist_position=1
    )
    before = event_snapshot(event)
    _move(event)
    assert event_change_notify(event=event, before=before) == 2
    assert event_change_notify(event=event, before=before) == 0  # the same change, once
    sent = bodies(send_all())
    assert set(sent) == {"fr@example.org", "nl@example.org"}
    assert "Changement" in sent["fr@example.org"] and "l'heure" in sent["fr@example.org"]
    assert "Wijziging" in sent["nl@example.org"]
    new_time = timezone.localtime(event.sessions.get().starts_at).strftime("%H:%M")
    assert new_time in sent["fr@example.org"]
    ics = next(m for m in mail.outbox if m.to == ["fr@example.org"]).attachments[0]
    assert ics[0] == "event.ics" and f"UID:event-{event.uid}" in str(ics[1])


def test_nothing_is_sent_when_neither_time_nor_place_changed(event):
    register(event)
    before = event_snapshot(event)
    event.description = "A new text"
    event.save()
    assert event_change_notify(event=event, before=before) == 0
    assert not Notification.objects.filter(kind=EVENT_CHANGED).exists()


def test_a_change_of_place_is_told_and_a_second_change_again(event, send_all):
    register(event, UserFactory(email="fr@example.org", language="en"))
    before = event_snapshot(event)
    event.address = "Avenue Louise 54, 1050 Ixelles"
    event.save()
    assert event_change_notify(event=event, before=before) == 1
    sent = bodies(send_all())["fr@example.org"]
    assert "Avenue Louise 54" in sent and "Rue de la Loi 16" in sent and "the place" in sent
    before = event_snapshot(event)
    _move(event, hours=2)
    assert event_change_notify(event=event, before=before) == 1


def test_the_cancellation_reaches_the_waiting_list_too(event, send_all):
    register(event, UserFactory(email="in@example.org", language="nl"))
    register(
        event, UserFactory(email="wait@example.org"), status=Status.WAITLISTED, waitlist_position=1
    )
    register(event, guest_name="G", guest_email="g@example.org", language="en")
    register(event, UserFactory(email="gone@example.org"), status=Status.CANCELLED)
    assert event_cancel(event=event) == 3
    assert event_cancel(event=event) == 0
    sent = bodies(send_all())
    assert set(sent) == {"in@example.org", "wait@example.org", "g@example.org"}
    assert "Geannuleerd" in sent["in@example.org"]
    assert "Annulé" in sent["wait@example.org"]
    assert "Cancelled" in sent["g@example.org"]
    assert Notification.objects.filter(kind=EVENT_CANCELLED).count() == 2
    ics = next(m for m in mail.outbox if m.to == ["g@example.org"]).attachments[0]
    assert "STATUS:CANCELLED" in str(ics[1])


def test_approve_and_refuse_from_the_registrations_page(client, make_event, organiser, send_all):
    event = make_event(approval="manual")
    event.organisers.add(organiser)
    waiting = register(event, UserFactory(first_name="Ana"), status=Status.PENDING_APPROVAL)
    other = register(event, UserFactory(first_name="Bram"), status=Status.PENDING_APPROVAL)
    client.force_login(organiser)
    page = client.get(reverse("events:organiser_registrations", kwargs={"slug": event.slug}))
    assert "Approve" in page.content.decode()

    def decide(registration, decision):
        url = reverse("events:organiser_decide", kwargs={"slug": event.slug, "pk": registration.pk})
        return client.post(url, {"decision": decision})

    assert decide(waiting, "approve").status_code == 302
    assert decide(other, "refuse").status_code == 302
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.status == Status.CONFIRMED and waiting.decided_by == organiser
    assert other.status == Status.REFUSED
    client.force_login(UserFactory())
    assert decide(waiting, "refuse").status_code == 404


def test_the_reminder_goes_out_the_configured_hours_before(make_event, settings):
    settings.EVENTS_REMINDER_HOURS = 72
    event = make_event(starts_at=timezone.now() + datetime.timedelta(hours=60))
    register(event, UserFactory(), confirmed_at=timezone.now() - datetime.timedelta(days=5))
    assert event_reminders_plan(now=timezone.now()) == 1
