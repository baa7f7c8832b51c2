"""Writes on permanences: booking under a late lock, cancelling, rescheduling,
attendance, and cancelling slots or whole days."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from incubators.models import Consent, Membership, NeedCategory, Service
from incubators.services import consent_give
from notifications.services import notification_record

from . import notices
from .models import Booking, CalendarFeed, PermanenceSchedule, Slot
from .selectors import ATTENDANCE_MARKING_DAYS, attendance_marking_opens_after
from .signals import (
    booking_attended,
    booking_cancelled,
    booking_made,
    booking_marked,
    booking_rescheduled,
)


@dataclass
class BookingRefused(Exception):
    """A booking that cannot be made; `message` is for the entrepreneur."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _refuse(code: str) -> BookingRefused:
    messages = {
        "taken": _("This slot was just taken by someone else. Please choose another one."),
        "unavailable": _("This slot is no longer available."),
        "too_late": _("It is too late to book this slot: the booking closed before it starts."),
        "not_open": _("Booking for this slot is not open yet."),
        "members_only": _(
            "This permanence is for members of the incubator only. Ask for membership first."
        ),
        "cap": _(
            "You already have the maximum number of upcoming bookings with this agency. "
            "Cancel one or wait until it has taken place."
        ),
        "overlap": _("You already have a booking at that time."),
        "duplicate": _("You have already booked this slot."),
        "language": _("This language is not offered at this permanence."),
        "category": _("This agency does not answer this topic. Please choose another one."),
        "too_late_to_cancel": _(
            "It is too late to cancel online. Please contact the agency directly."
        ),
        "too_late_to_move": _(
            "It is too late to move this booking online. Please contact the agency directly."
        ),
        "not_cancellable": _("This booking can no longer be cancelled."),
        "not_started": _("Attendance can be marked once the meeting has started."),
        "marking_closed": _(
            "Attendance can be marked up to %(days)d days after the meeting; "
            "this one is too long ago."
        )
        % {"days": ATTENDANCE_MARKING_DAYS},
    }
    return BookingRefused(code, messages[code])


def _lock_slot(
    slot_id: int,
    *,
    for_booker: User | None = None,
    language: str = "",
    category_id: int | None = None,
) -> Slot:
    """Lock the slot row until the transaction ends (late: just before the checks).
    For a new booking, the same query also says whether the permanence speaks `language`
    (`speaks`), whether its agency answers the topic (`answers`) and which of
    `for_booker`'s companies the booking is for (`company_pk`): round trips saved on the
    busiest write of the site. `answers` is only asked for with a `category_id`."""
    qs = Slot.objects.select_related("schedule", "agency")
    if for_booker is not None:
        qs = qs.annotate(
            speaks=Exists(
                PermanenceSchedule.languages.through.objects.filter(
                    permanenceschedule_id=OuterRef("schedule_id"), language_id=language
                )
            ),
            company_pk=_company_of_booker(user=for_booker, incubator_id=OuterRef("incubator_id")),
        )
        if category_id is not None:
            qs = qs.annotate(answers=_agency_answers(category_id=category_id))
    if not settings.PERMANENCES_LOCK_SLOTS:
        return qs.get(pk=slot_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
    return qs.select_for_update(of=("self",)).get(pk=slot_id)


def _take_place(slot: Slot) -> None:
    if settings.PERMANENCES_LOCK_SLOTS:
        Slot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") + 1)
    else:
        # The race test's control run: a read-modify-write, as code without a lock would do.
        Slot.objects.filter(pk=slot.pk).update(booked_count=slot.booked_count + 1)


def _release_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked_count__gt=0).update(booked_count=F("booked_count") - 1)


def user_is_member(*, user: User, incubator_id: int, on: datetime.date) -> bool:
    return (
        Membership.objects.current(on=on)
        .filter(company__people=user, incubator_id=incubator_id)
        .exists()
    )


def _check_bookable(
    *, slot: Slot, user: User, now: datetime.datetime, ignore: Booking | None = None
) -> None:
    schedule = slot.schedule
    if slot.status != Slot.Status.OPEN or not schedule.is_active:
        raise _refuse("unavailable")
    if now > slot.bookable_until:
        raise _refuse("too_late")
    if now < slot.bookable_from:
        raise _refuse("not_open")
    if schedule.audience == schedule.Audience.MEMBERS and not user_is_member(
        user=user, incubator_id=slot.incubator_id, on=timezone.localdate(slot.starts_at)
    ):
        raise _refuse("members_only")
    mine = Booking.objects.filter(user=user, status=Booking.Status.CONFIRMED)
    if ignore is not None:
        mine = mine.exclude(pk=ignore.pk)
    # The person's other bookings, counted three ways in one query.
    counts = mine.aggregate(
        here=Count("pk", filter=Q(slot_id=slot.pk)),
        active=Count("pk", filter=Q(slot__agency_id=slot.agency_id, ends_at__gt=now)),
        overlapping=Count("pk", filter=Q(starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at)),
    )
    if counts["here"]:
        raise _refuse("duplicate")
    if slot.booked_count >= slot.capacity:
        raise _refuse("taken")
    if counts["active"] >= schedule.max_active_bookings:
        raise _refuse("cap")
    if counts["overlapping"]:
        raise _refuse("overlap")


def _agency_answers(*, category_id: int | None) -> Exists:
    """Whether the slot's agency answers the topic, as an expression: an active topic one
    of its services names, or any active topic when its services name none (as the
    booking form offers them)."""
    named = Service.categories.through.objects.filter(
        service__agency_id=OuterRef(OuterRef("agency_id"))
    )
    return Exists(
        NeedCategory.objects.filter(pk=category_id, is_active=True).filter(
            Exists(named.filter(needcategory_id=OuterRef("pk"))) | ~Exists(named)
        )
    )


def _company_of_booker(*, user: User, incubator_id) -> Coalesce:
    """Which of the person's companies a booking is for: the first (oldest) that is a
    member of the incubator, else their first one, as an expression (None: no company)."""
    companies = user.companies.order_by("pk").values("pk")
    here = companies.filter(memberships__incubator_id=incubator_id)
    return Coalesce(Subquery(here[:1]), Subquery(companies[:1]))


def _record(kind: str, booking: Booking, recipient: User) -> None:
    notification_record(
        kind=kind,
        recipient=recipient,
        subject=booking,
        key=notices.booking_key(kind, booking, recipient.pk),
    )


def _advisors_to_tell(slot: Slot) -> list[User]:
    advisors = list(slot.schedule.advisors.filter(is_active=True).select_related("user"))
    if not advisors:
        advisors = list(slot.agency.advisors.filter(is_active=True).select_related("user"))
    return [advisor.user for advisor in advisors]


def _translate_db_error(exc: Exception) -> BookingRefused:
    text = str(exc)
    if "booking_no_overlap_per_user" in text:
        return _refuse("overlap")
    if "booking_one_active_per_slot_and_user" in text or "UNIQUE constraint failed" in text:
        return _refuse("duplicate")
    return _refuse("taken")


def booking_create(
    *,
    slot_id: int,
    user: User,
    category: NeedCategory,
    topic: str,
    language: str,
    consent_share_profile: bool,
    follow_up: bool = False,
    offered_topics_only: bool = False,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book a place in the slot. `follow_up`: the entrepreneur also asks the agency to
    follow the topic up (the needs app records it as a need, in the same transaction).
    `offered_topics_only`: the topic must be one the booking form offers for the slot's
    agency (a booking chosen on the site); a booking from an offer keeps its need's."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            try:
                slot = _lock_slot(
                    slot_id,
                    for_booker=user,
                    language=language,
                    category_id=category.pk if offered_topics_only else None,
                )
            except Slot.DoesNotExist:
                raise _refuse("unavailable") from None
            _check_bookable(slot=slot, user=user, now=now)
            if not slot.speaks:
                raise _refuse("language")
            if offered_topics_only and not slot.answers:
                raise _refuse("category")
            booking = Booking.objects.create(
                slot=slot,
                user=user,
                company_id=slot.company_pk,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                category=category,
                topic=topic,
                language=language,
                consent_share_profile=consent_share_profile,
            )
            if consent_share_profile:
                consent_give(user=user, agency=slot.agency, purpose=Consent.Purpose.BOOKING_PROFILE)
            _take_place(slot)
            _record(notices.BOOKING_CONFIRMED, booking, user)
            booking_made.send(sender=Booking, booking=booking, follow_up=follow_up)
            return booking
    except IntegrityError as exc:
        raise _translate_db_error(exc) from exc
    except OperationalError as exc:  # lock timeout, or SQLite busy past its timeout
        raise _refuse("taken") from exc


def booking_cancel(
    *, booking: Booking, by: User, reason: str, now: datetime.datetime | None = None
) -> Booking:
    """The entrepreneur cancels their own booking (within the notice), or staff cancel it."""
    now = now or timezone.now()
    by_owner = by.pk == booking.user_id
    if by_owner and now > booking.cancel_deadline:
        raise _refuse("too_late_to_cancel")
    with transaction.atomic():
        updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).update(
            status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=by, cancel_reason=reason
        )
        if not updated:
            raise _refuse("not_cancellable")
        _release_place(booking.slot_id)
        booking.refresh_from_db()
        if by_owner:
            for advisor in _advisors_to_tell(booking.slot):
                _record(notices.BOOKING_CANCELLED_BY_USER, booking, advisor)
            _record(notices.BOOKING_CANCELLED_CONFIRMATION, booking, booking.user)
        else:
            _record(notices.BOOKING_CANCELLED_BY_STAFF, booking, booking.user)
        booking_cancelled.send(sender=Booking, booking=booking, by=by)
    return booking


def booking_reschedule(
    *, booking: Booking, new_slot_id: int, by: User, now: datetime.datetime | None = None
) -> Booking:
    """Move a booking to another slot. The old one is released only once the new slot is
    secured: both happen in one transaction, or neither. The entrepreneur gets the new
    calendar event; the advisors of both slots are told."""
    now = now or timezone.now()
    if now > booking.cancel_deadline:
        raise _refuse("too_late_to_move")
    try:
        with transaction.atomic():
            slot = _lock_slot(new_slot_id)
            _check_bookable(slot=slot, user=booking.user, now=now, ignore=booking)
            updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).update(
                status=Booking.Status.CANCELLED,
                cancelled_at=now,
                cancelled_by=by,
                cancel_reason=_("Rescheduled"),
            )
            if not updated:
                raise _refuse("not_cancellable")
            _release_place(booking.slot_id)
            language = booking.language
            if not slot.schedule.languages.filter(code=language).exists():
                language = (
                    slot.schedule.languages.values_list("code", flat=True).first() or language
                )
            new = Booking.objects.create(
                slot=slot,
                user=booking.user,
                company=booking.company,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                category=booking.category,
                topic=booking.topic,
                language=language,
                consent_share_profile=booking.consent_share_profile,
                uid=booking.uid,
                sequence=booking.sequence + 1,
                rescheduled_from=booking,
            )
            _take_place(slot)
            _record(notices.BOOKING_RESCHEDULED, new, new.user)
            told = {user.pk: user for user in _advisors_to_tell(booking.slot)}
            told.update({user.pk: user for user in _advisors_to_tell(slot)})
            for advisor in told.values():
                _record(notices.BOOKING_MOVED_FOR_ADVISOR, new, advisor)
            booking_rescheduled.send(sender=Booking, booking=new, previous=booking, by=by)
            return new
    except IntegrityError as exc:
        raise _translate_db_error(exc) from exc
    except OperationalError as exc:
        raise _refuse("taken") from exc


def booking_mark_attendance(
    *,
    booking: Booking,
    attended: bool,
    outcome: str,
    by: User,
    now: datetime.datetime | None = None,
) -> Booking:
    now = now or timezone.now()
    if now < booking.starts_at:
        raise _refuse("not_started")
    if booking.ends_at < attendance_marking_opens_after(now):
        raise _refuse("marking_closed")
    status = Booking.Status.ATTENDED if attended else Booking.Status.NO_SHOW
    with transaction.atomic():
        updated = Booking.objects.filter(pk=booking.pk, status__in=Booking.ACTIVE_STATUSES).update(
            status=status, outcome=outcome, marked_by=by, marked_at=now
        )
        if not updated:
            raise _refuse("not_cancellable")
        booking.refresh_from_db()
        booking_marked.send(sender=Booking, booking=booking, by=by)
        if attended:
            booking_attended.send(sender=Booking, booking=booking, by=by)
    return booking


def slot_cancel(*, slot: Slot, reason: str, by: User, now: datetime.datetime | None = None) -> int:
    """Cancel a slot and every booking in it; each booked person is to be told.
    Returns the number of bookings cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Slot.objects.filter(pk=slot.pk, status=Slot.Status.OPEN).update(
            status=Slot.Status.CANCELLED, cancel_reason=reason, cancelled_at=now
        )
        if not updated:
            return 0
        bookings = list(
            Booking.objects.filter(slot=slot, status=Booking.Status.CONFIRMED).select_related(
                "user"
            )
        )
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=by, cancel_reason=reason
        )
        Slot.objects.filter(pk=slot.pk).update(booked_count=0)
        for booking in bookings:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = now, by, reason
            _record(notices.BOOKING_CANCELLED_BY_STAFF, booking, booking.user)
            booking_cancelled.send(sender=Booking, booking=booking, by=by)
    return len(bookings)


def day_cancel(
    *,
    incubator_id: int | None,
    day: datetime.date,
    reason: str,
    by: User,
    agency_id: int | None = None,
) -> tuple[int, int]:
    """Cancel every open slot of a day (at one incubator, of one agency, or both).
    Returns (slots cancelled, bookings cancelled)."""
    slots = Slot.objects.filter(status=Slot.Status.OPEN, starts_at__date=day)
    if incubator_id:
        slots = slots.filter(incubator_id=incubator_id)
    if agency_id:
        slots = slots.filter(agency_id=agency_id)
    slot_count = booking_count = 0
    for slot in slots:
        booking_count += slot_cancel(slot=slot, reason=reason, by=by)
        slot_count += 1
    return slot_count, booking_count


def calendar_feed_renew(*, user: User) -> tuple[CalendarFeed, bool]:
    """Create the user's private calendar address, or replace it (the old one stops
    working). Returns the feed and whether an older address was replaced."""
    feed, created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed, not created


def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


# Connected to incubators' consent_withdrawn in PermanencesConfig.ready: a withdrawal
# from the person's space hides them at once.
def booking_profile_consent_withdrawn(sender, *, consent: Consent, **kwargs) -> int:
    """The person no longer lets the agency see their profile on their bookings: the
    agency's advisors see none of their bookings with it under their name any more."""
    if consent.purpose != Consent.Purpose.BOOKING_PROFILE:
        return 0
    return Booking.objects.filter(
        user_id=consent.user_id, slot__agency_id=consent.agency_id, consent_share_profile=True
    ).update(consent_share_profile=False)
