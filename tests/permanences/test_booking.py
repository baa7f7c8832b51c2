import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from permanences import services
from permanences.models import Booking, Slot
from tests.factories import AdvisorFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def _refused(code, call, *args, **kwargs):
    with pytest.raises(services.BookingRefused) as excinfo:
        call(*args, **kwargs)
    assert excinfo.value.code == code, excinfo.value.message
    return excinfo.value


def test_a_booking_takes_a_place_and_records_the_confirmation(make_slot, entrepreneur, book):
    slot = make_slot()
    booking = book(slot, entrepreneur)
    slot.refresh_from_db()
    assert (slot.booked_count, booking.status) == (1, "confirmed")
    assert (booking.starts_at, booking.ends_at) == (slot.starts_at, slot.ends_at)
    notice = Notification.objects.get()
    assert (notice.kind, notice.recipient, notice.subject) == (
        "booking_confirmed",
        entrepreneur,
        booking,
    )


def test_it_refuses_a_full_slot_politely(make_slot, entrepreneur, book):
    slot = make_slot()
    book(slot, UserFactory())
    refusal = _refused("taken", book, slot, entrepreneur)
    assert "just taken" in refusal.message


def test_a_group_session_takes_as_many_people_as_its_capacity(make_slot, book):
    slot = make_slot(capacity=3)
    for _ in range(3):
        book(slot, UserFactory())
    _refused("taken", book, slot, UserFactory())
    slot.refresh_from_db()
    assert slot.booked_count == 3


def test_it_refuses_when_too_late_or_not_yet_open(make_slot, entrepreneur, book):
    soon = make_slot(days=1, min_notice_hours=48)
    _refused("too_late", book, soon, entrepreneur)
    far = make_slot(days=30, booking_opens_days=14)
    _refused("not_open", book, far, entrepreneur)


def test_members_only_permanences_refuse_outsiders_and_accept_members(
    make_slot, entrepreneur, book
):
    slot = make_slot(audience="members")
    _refused("members_only", book, slot, entrepreneur)
    make_member(entrepreneur, slot.incubator)
    assert book(slot, entrepreneur).status == "confirmed"


def test_it_refuses_more_active_bookings_with_one_agency_than_the_cap(
    make_slot, make_schedule, entrepreneur, book
):
    first = make_slot(days=2, max_active_bookings=1)
    book(first, entrepreneur)
    second = make_slot(days=4, agency=first.agency, max_active_bookings=1)
    _refused("cap", book, second, entrepreneur)


def test_it_refuses_two_overlapping_bookings_of_one_person(make_slot, entrepreneur, book):
    slot = make_slot(days=3)
    book(slot, entrepreneur)
    elsewhere = make_slot(days=3)  # same time, another agency and incubator
    _refused("overlap", book, elsewhere, entrepreneur)


def test_it_refuses_a_language_the_permanence_does_not_offer(make_slot, entrepreneur, book):
    slot = make_slot(languages=["nl"])
    _refused("language", book, slot, entrepreneur, language="fr")


def test_the_database_refuses_overbooking_even_without_the_service(make_slot):
    slot = make_slot()
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked_count=slot.capacity + 1)


def test_the_database_refuses_overlapping_bookings_even_without_the_service(
    make_slot, entrepreneur, category
):
    first, second = make_slot(days=3), make_slot(days=3)
    common = {
        "user": entrepreneur,
        "category": category,
        "topic": "x",
        "language": "fr",
    }
    Booking.objects.create(slot=first, starts_at=first.starts_at, ends_at=first.ends_at, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=second,
            starts_at=second.starts_at + datetime.timedelta(minutes=10),
            ends_at=second.ends_at + datetime.timedelta(minutes=10),
            **common,
        )
    # Back-to-back is not an overlap, and cancelled bookings do not count.
    Booking.objects.create(
        slot=second,
        starts_at=first.ends_at,
        ends_at=first.ends_at + datetime.timedelta(minutes=30),
        **common,
    )
    Booking.objects.filter(slot=first).update(status="cancelled", cancelled_at=timezone.now())
    third = make_slot(days=3)
    Booking.objects.create(slot=third, starts_at=first.starts_at, ends_at=first.ends_at, **common)
    assert Booking.objects.filter(status="confirmed").count() == 2


def test_cancelling_releases_the_place_and_tells_the_advisor(make_slot, entrepreneur, book):
    advisor = AdvisorFactory()
    slot = make_slot(agency=advisor.agency, advisors=[advisor])
    booking = book(slot, entrepreneur)
    services.booking_cancel(booking=booking, by=entrepreneur, reason="Found an answer")
    slot.refresh_from_db()
    booking.refresh_from_db()
    assert (slot.booked_count, booking.status, booking.cancel_reason) == (
        0,
        "cancelled",
        "Found an answer",
    )
    assert Notification.objects.filter(
        kind="booking_cancelled_by_user", recipient=advisor.user, booking=booking
    ).exists()
    _refused(
        "not_cancellable", services.booking_cancel, booking=booking, by=entrepreneur, reason=""
    )


def test_an_entrepreneur_cannot_cancel_inside_the_notice(make_slot, entrepreneur, book):
    slot = make_slot(days=1, cancel_notice_hours=72)
    booking = book(slot, entrepreneur)
    _refused(
        "too_late_to_cancel", services.booking_cancel, booking=booking, by=entrepreneur, reason=""
    )


def test_rescheduling_keeps_the_calendar_event_and_frees_the_old_place(
    make_slot, entrepreneur, book
):
    old_slot = make_slot(days=3, capacity=1)
    booking = book(old_slot, entrepreneur)
    new_slot = make_slot(days=5, agency=old_slot.agency, incubator=old_slot.incubator)
    new = services.booking_reschedule(booking=booking, new_slot_id=new_slot.pk, by=entrepreneur)
    booking.refresh_from_db()
    old_slot.refresh_from_db()
    new_slot.refresh_from_db()
    assert (new.uid, new.sequence, new.rescheduled_from) == (booking.uid, 1, booking)
    assert booking.status == "cancelled"
    assert (old_slot.booked_count, new_slot.booked_count) == (0, 1)
    assert Notification.objects.filter(kind="booking_rescheduled", booking=new).exists()


def test_a_failed_reschedule_keeps_the_old_booking(make_slot, entrepreneur, book):
    old_slot = make_slot(days=3)
    booking = book(old_slot, entrepreneur)
    full = make_slot(days=5, agency=old_slot.agency)
    book(full, UserFactory())
    _refused(
        "taken", services.booking_reschedule, booking=booking, new_slot_id=full.pk, by=entrepreneur
    )
    booking.refresh_from_db()
    old_slot.refresh_from_db()
    assert (booking.status, old_slot.booked_count) == ("confirmed", 1)


def test_rescheduling_within_the_same_hour_is_not_an_overlap_with_itself(
    make_slot, entrepreneur, book
):
    old_slot = make_slot(days=3)
    booking = book(old_slot, entrepreneur)
    later = Slot.objects.get(schedule=old_slot.schedule, starts_at=old_slot.ends_at)
    new = services.booking_reschedule(booking=booking, new_slot_id=later.pk, by=entrepreneur)
    assert new.status == "confirmed"


def test_attendance_is_marked_after_the_meeting_starts(make_slot, entrepreneur, book):
    slot = make_slot(days=1)
    booking = book(slot, entrepreneur)
    advisor = UserFactory()
    _refused(
        "not_started",
        services.booking_mark_attendance,
        booking=booking,
        attended=True,
        outcome="",
        by=advisor,
    )
    later = slot.starts_at + datetime.timedelta(minutes=5)
    services.booking_mark_attendance(
        booking=booking, attended=False, outcome="Did not come", by=advisor, now=later
    )
    booking.refresh_from_db()
    assert (booking.status, booking.outcome, booking.marked_by) == (
        "no_show",
        "Did not come",
        advisor,
    )
    slot.refresh_from_db()
    assert slot.booked_count == 1  # a no-show still held the place


def test_cancelling_a_slot_cancels_its_bookings_and_records_who_to_tell(make_slot, book):
    slot = make_slot(capacity=2)
    people = [UserFactory(), UserFactory()]
    for person in people:
        book(slot, person)
    coordinator = UserFactory()
    assert services.slot_cancel(slot=slot, reason="Advisor ill", by=coordinator) == 2
    slot.refresh_from_db()
    assert (slot.status, slot.booked_count) == ("cancelled", 0)
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    assert {
        n.recipient for n in Notification.objects.filter(kind="booking_cancelled_by_staff")
    } == set(people)
    assert services.slot_cancel(slot=slot, reason="again", by=coordinator) == 0


def test_cancelling_a_day_leaves_other_days_alone(make_slot, book):
    today_slot = make_slot(days=2)
    other_day = make_slot(days=3, incubator=today_slot.incubator)
    slots, bookings = services.day_cancel(
        incubator_id=today_slot.incubator_id,
        day=timezone.localdate(today_slot.starts_at),
        reason="Building closed",
        by=UserFactory(),
    )
    assert slots == Slot.objects.filter(schedule=today_slot.schedule, status="cancelled").count()
    assert slots > 0 and bookings == 0
    assert not Slot.objects.filter(schedule=other_day.schedule, status="cancelled").exists()


def test_generation_never_revives_a_cancelled_slot(make_slot):
    from permanences.generation import slots_generate

    slot = make_slot(days=2)
    services.slot_cancel(slot=slot, reason="x", by=UserFactory())
    slots_generate(schedule=slot.schedule, days=3)
    slot.refresh_from_db()
    assert slot.status == "cancelled"
    assert Slot.objects.filter(schedule=slot.schedule, starts_at=slot.starts_at).count() == 1


def test_a_booking_is_for_the_persons_company_that_is_a_member_of_the_place_else_their_first(
    make_slot, entrepreneur, book
):
    from tests.factories import CompanyFactory, MembershipFactory

    slot = make_slot(days=3)
    other_slot = make_slot(days=4)
    first, member_here = CompanyFactory(), CompanyFactory()
    first.people.add(entrepreneur)
    member_here.people.add(entrepreneur)
    MembershipFactory(company=member_here, incubator=slot.incubator)

    assert book(slot, entrepreneur).company == member_here
    assert book(other_slot, entrepreneur).company == first
    assert book(make_slot(days=5), UserFactory()).company is None


def test_a_booking_chosen_on_the_site_must_be_about_a_topic_its_agency_answers(
    make_slot, entrepreneur, book, category
):
    from incubators.models import NeedCategory, Service

    slot = make_slot()
    Service.objects.create(agency=slot.agency, name="Export", summary="Going abroad")
    answered = NeedCategory.objects.exclude(pk=category.pk).filter(is_active=True).first()
    slot.agency.services.get().categories.set([answered])
    _refused("category", book, slot, entrepreneur, offered_topics_only=True)
    # A booking from a need's offer keeps the need's topic, whatever the agency lists.
    assert book(slot, entrepreneur).category == category


def test_a_topic_is_answered_by_any_agency_whose_services_name_none(make_slot, entrepreneur, book):
    slot = make_slot()
    assert not slot.agency.services.exists()
    booking = book(slot, entrepreneur, offered_topics_only=True)
    assert booking.status == "confirmed"
