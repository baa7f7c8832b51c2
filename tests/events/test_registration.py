import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import services
from events.models import Event, EventQuestion, Registration
from tests.factories import IncubatorFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

S = Registration.Status


def register(event, user=None, **kwargs):
    return services.registration_create(event_id=event.pk, user=user or UserFactory(), **kwargs)


def test_it_confirms_a_registration_while_places_are_free(make_event):
    event = make_event(capacity=2)
    registration = register(event)
    assert registration.status == S.CONFIRMED
    assert registration.waitlist_position is None
    assert services.places_left(event) == 1


def test_it_puts_people_on_the_waiting_list_once_full_with_gapless_positions(make_event):
    event = make_event(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(3)]
    assert [r.status for r in waiting] == [S.WAITLISTED] * 3
    assert [r.waitlist_position for r in waiting] == [1, 2, 3]


def test_it_refuses_a_second_registration_of_the_same_person(make_event):
    event = make_event()
    user = UserFactory()
    register(event, user)
    with pytest.raises(services.RegistrationError) as exc:
        register(event, user)
    assert exc.value.code == "already"


def test_the_database_refuses_two_active_registrations_of_one_person(make_event):
    event = make_event()
    user = UserFactory()
    Registration.objects.create(event=event, user=user, status=S.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, user=user, status=S.WAITLISTED, waitlist_position=1
        )


def test_the_database_refuses_two_people_at_the_same_position(make_event):
    event = make_event()
    Registration.objects.create(
        event=event, user=UserFactory(), status=S.WAITLISTED, waitlist_position=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, user=UserFactory(), status=S.WAITLISTED, waitlist_position=1
        )


def test_a_cancellation_offers_the_place_to_the_first_in_line_and_closes_the_gap(make_event):
    event = make_event(capacity=1)
    holder = register(event)
    first, second, third = (register(event) for _ in range(3))
    services.registration_cancel(registration_id=holder.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.status == S.OFFERED
    assert first.offer_expires_at is not None
    assert (second.waitlist_position, third.waitlist_position) == (1, 2)
    assert services.places_left(event) == 0  # the offer holds the place


def test_leaving_the_middle_of_the_line_closes_the_gap(make_event):
    event = make_event(capacity=1)
    register(event)
    first, second, third = (register(event) for _ in range(3))
    services.registration_cancel(registration_id=second.pk)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.waitlist_position, third.waitlist_position) == (1, 2)


def test_accepting_an_offer_confirms_the_place(make_event):
    event = make_event(capacity=1)
    holder = register(event)
    first = register(event)
    services.registration_cancel(registration_id=holder.pk)
    accepted = services.registration_offer_accept(registration_id=first.pk)
    assert accepted.status == S.CONFIRMED
    assert accepted.offer_expires_at is None


def test_an_offer_lasts_the_configured_hours_but_never_past_the_start(make_event, settings):
    settings.EVENTS_OFFER_HOURS = 24
    now = timezone.now()
    event = make_event(capacity=1, starts_at=now + datetime.timedelta(hours=5))
    holder = register(event)
    first = register(event)
    services.registration_cancel(registration_id=holder.pk, now=now)
    first.refresh_from_db()
    assert first.offer_expires_at == event.sessions.first().starts_at
    later = make_event(capacity=1, starts_at=now + datetime.timedelta(days=5))
    holder = register(later)
    first = register(later)
    services.registration_cancel(registration_id=holder.pk, now=now)
    first.refresh_from_db()
    assert first.offer_expires_at == now + datetime.timedelta(hours=24)


def test_an_unanswered_offer_expires_and_passes_to_the_next(make_event):
    event = make_event(capacity=1)
    holder = register(event)
    first, second = register(event), register(event)
    services.registration_cancel(registration_id=holder.pk)
    first.refresh_from_db()
    assert (
        services.registration_offers_expire(
            now=first.offer_expires_at - datetime.timedelta(seconds=1)
        )
        == 0
    )
    assert services.registration_offers_expire(now=first.offer_expires_at) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.EXPIRED
    assert second.status == S.OFFERED
    with pytest.raises(services.RegistrationError):
        services.registration_offer_accept(registration_id=first.pk)


def test_declining_an_offer_passes_it_on_at_once(make_event):
    event = make_event(capacity=1)
    holder = register(event)
    first, second = register(event), register(event)
    services.registration_cancel(registration_id=holder.pk)
    services.registration_offer_decline(registration_id=first.pk)
    second.refresh_from_db()
    assert second.status == S.OFFERED


def test_a_larger_capacity_offers_the_new_places_in_order(make_event):
    event = make_event(capacity=1)
    register(event)
    first, second, third = (register(event) for _ in range(3))
    Event.objects.filter(pk=event.pk).update(capacity=3)
    assert services.event_places_fill(event_id=event.pk) == 2
    statuses = [Registration.objects.get(pk=r.pk).status for r in (first, second, third)]
    assert statuses == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert Registration.objects.get(pk=third.pk).waitlist_position == 1


def test_a_newcomer_does_not_jump_the_line_while_an_offer_is_open(make_event):
    event = make_event(capacity=2)
    a = register(event)
    register(event)
    waiting = register(event)
    services.registration_cancel(registration_id=a.pk)  # offered to `waiting`
    newcomer = register(event)
    assert Registration.objects.get(pk=waiting.pk).status == S.OFFERED
    assert newcomer.status == S.WAITLISTED and newcomer.waitlist_position == 1


def test_manual_approval_holds_the_place_until_an_organiser_decides(make_event):
    event = make_event(capacity=1, approval=Event.Approval.MANUAL)
    organiser = UserFactory()
    pending = register(event)
    assert pending.status == S.PENDING_APPROVAL
    waiting = register(event)
    assert waiting.status == S.WAITLISTED
    services.registration_approve(registration_id=pending.pk, by=organiser)
    assert Registration.objects.get(pk=pending.pk).status == S.CONFIRMED


def test_refusing_frees_the_place_for_the_first_in_line(make_event):
    event = make_event(capacity=1, approval=Event.Approval.MANUAL)
    pending = register(event)
    waiting = register(event)
    refused = services.registration_refuse(registration_id=pending.pk, by=UserFactory())
    assert refused.status == S.REFUSED
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    accepted = services.registration_offer_accept(registration_id=waiting.pk)
    assert accepted.status == S.PENDING_APPROVAL


def test_registration_is_refused_before_it_opens_and_after_it_closes(make_event):
    now = timezone.now()
    soon = make_event(registration_opens_at=now + datetime.timedelta(days=1))
    with pytest.raises(services.RegistrationError) as exc:
        register(soon)
    assert exc.value.code == "not_yet"
    closed = make_event(
        registration_opens_at=now - datetime.timedelta(days=2),
        registration_closes_at=now - datetime.timedelta(days=1),
    )
    with pytest.raises(services.RegistrationError) as exc:
        register(closed)
    assert exc.value.code == "closed"


def test_registration_closes_when_the_event_starts(make_event):
    event = make_event(starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.RegistrationError) as exc:
        register(event)
    assert exc.value.code == "closed"


def test_a_draft_event_takes_no_registration(make_event):
    event = make_event(status=Event.Status.DRAFT)
    with pytest.raises(services.RegistrationError):
        register(event)


def test_guests_cannot_register_for_an_event_for_signed_in_people(make_event):
    event = make_event(audience=Event.Audience.SIGNED_IN)
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_create(
            event_id=event.pk, guest_name="Ann", guest_email="ann@example.org"
        )
    assert exc.value.code == "sign_in"
    assert register(event).status == S.CONFIRMED


def test_a_members_event_takes_only_members_of_its_incubator(make_event):
    incubator = IncubatorFactory()
    event = make_event(audience=Event.Audience.MEMBERS, audience_incubator=incubator)
    with pytest.raises(services.RegistrationError) as exc:
        register(event)
    assert exc.value.code == "audience"
    member = UserFactory()
    make_member(member, incubator)
    assert register(event, member).status == S.CONFIRMED


def test_required_questions_must_be_answered_and_choices_come_from_the_list(make_event):
    event = make_event()
    diet = EventQuestion.objects.create(
        event=event, label="Diet", kind="choice", choices="None\nVegetarian", required=True
    )
    with pytest.raises(services.RegistrationError) as exc:
        register(event)
    assert exc.value.code == "answer_missing"
    with pytest.raises(services.RegistrationError) as exc:
        register(event, answers={str(diet.pk): "Pizza"})
    assert exc.value.code == "answer_invalid"
    registration = register(event, answers={str(diet.pk): "Vegetarian"})
    assert registration.answers == {str(diet.pk): "Vegetarian"}
