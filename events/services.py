"""Registering for events, the waiting list and its offers, approval.

Every write that can take or free a place runs in one transaction holding the Event row
(`select_for_update`; on SQLite the IMMEDIATE transaction serialises writers): it counts
the places held (confirmed + offered + pending approval), decides, writes. So there are
never more places held than the capacity, whatever the concurrency, and the waiting list
keeps its positions 1..n without gaps or repeats (a unique constraint stands behind it).

The rules:
- A guest (no account, events open to everyone) gives a name and an email address and
  confirms the address through a signed link; until then the registration holds no place
  and has no position (a mistyped address or a bot never blocks a seat). Confirming takes
  a place, or a position on the waiting list, at that moment.
- A new registrant takes a place only when one is free *and* nobody waits: the waiting
  list always goes first.
- A freed place (cancellation, refusal, declined or expired offer, larger capacity) is
  offered to the first in line for EVENTS_OFFER_HOURS (never past the start); an offer
  holds the place until it is accepted, declined or expires (planner, every minute), then
  passes to the next.
- With manual approval, a registration with a place waits for an organiser
  (pending_approval, holding the place); refusing it frees the place.
"""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from incubators.models import Membership

from .models import Event, EventQuestion, Registration

GUEST_CONFIRM_SALT = "hub_eu.events.guest-email"

Status = Registration.Status


class RegistrationError(Exception):
    """A registration refused for a reason the person can read."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- Reading the state -------------------------------------------------------------------


class WindowState:
    NOT_PUBLISHED = "not_published"
    CANCELLED = "cancelled"
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def event_starts_at(event: Event) -> datetime.datetime | None:
    return event.sessions.aggregate(first=Min("starts_at"))["first"]


def registration_window(event: Event, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return WindowState.CANCELLED
    if event.status != Event.Status.PUBLISHED:
        return WindowState.NOT_PUBLISHED
    if event.registration_opens_at and now < event.registration_opens_at:
        return WindowState.NOT_YET
    closes = event.registration_closes_at or event_starts_at(event)
    if closes is None or now >= closes:
        return WindowState.CLOSED
    return WindowState.OPEN


def places_held(event: Event) -> int:
    return Registration.objects.filter(event=event).holding_a_place().count()


def places_left(event: Event) -> int:
    return max(event.capacity - places_held(event), 0)


def waitlist_length(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.WAITLISTED).count()


def user_may_register(event: Event, user: User | None) -> bool:
    """The audience rule: everyone, signed-in people, or members of one incubator."""
    if event.audience == Event.Audience.EVERYONE:
        return True
    if user is None or not user.is_authenticated:
        return False
    if event.audience == Event.Audience.SIGNED_IN:
        return True
    return Membership.objects.filter(
        Membership.current_q(),
        incubator_id=event.audience_incubator_id,
        company__people=user,
    ).exists()


def active_registration(event: Event, user: User | None) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return Registration.objects.active().filter(event=event, user=user).first()


# --- Answers -------------------------------------------------------------------------------


def answers_clean(event: Event, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers keyed by question id, checked against the event's questions."""
    clean: dict[str, str] = {}
    for question in event.questions.all():
        value = str(answers.get(str(question.pk), "") or "").strip()[:1000]
        if question.required and not value:
            raise RegistrationError(
                _("Please answer: %(question)s") % {"question": question.label},
                code="answer_missing",
            )
        if (
            value
            and question.kind == EventQuestion.Kind.CHOICE
            and value not in question.choice_list
        ):
            raise RegistrationError(
                _("Please choose an answer from the list: %(question)s")
                % {"question": question.label},
                code="answer_invalid",
            )
        if value:
            clean[str(question.pk)] = value
    return clean


# --- Internals (called with the Event row locked) --------------------------------------------


def _lock(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _notify(kind: str, registration: Registration) -> None:
    from . import notices

    notices.registration_notify(kind, registration)


def _waitlist_remove(registration: Registration) -> None:
    """Take `registration` out of the line and close the gap behind it. One row at a time,
    in ascending order, so the unique position constraint holds after each update."""
    position = registration.waitlist_position
    registration.waitlist_position = None
    behind = list(
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Status.WAITLISTED,
            waitlist_position__gt=position,
        )
        .order_by("waitlist_position")
        .values_list("pk", "waitlist_position")
    )
    # The row itself leaves the list first (status and position set by the caller's save).
    Registration.objects.filter(pk=registration.pk).update(
        status=registration.status,
        waitlist_position=None,
        offer_expires_at=registration.offer_expires_at,
    )
    for pk, pos in behind:
        Registration.objects.filter(pk=pk).update(waitlist_position=pos - 1)


def _place_or_waitlist(event: Event, registration: Registration, *, now: datetime.datetime) -> None:
    """Give a place if one is free and nobody waits, else the next position."""
    held = places_held(event)
    waiting = waitlist_length(event)
    if held < event.capacity and waiting == 0:
        if event.approval == Event.Approval.AUTOMATIC:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = Status.PENDING_APPROVAL
        registration.waitlist_position = None
    else:
        last = Registration.objects.filter(event=event, status=Status.WAITLISTED).aggregate(
            last=Max("waitlist_position")
        )["last"]
        registration.status = Status.WAITLISTED
        registration.waitlist_position = (last or 0) + 1
    registration.save()
    _notify_new_state(registration)


def _notify_new_state(registration: Registration) -> None:
    from . import notices

    kind = {
        Status.CONFIRMED: notices.REGISTRATION_CONFIRMED,
        Status.PENDING_APPROVAL: notices.REGISTRATION_RECEIVED,
        Status.WAITLISTED: notices.REGISTRATION_WAITLISTED,
    }.get(registration.status)
    if kind:
        _notify(kind, registration)


def offer_deadline(event: Event, *, now: datetime.datetime) -> datetime.datetime:
    deadline = now + datetime.timedelta(hours=settings.EVENTS_OFFER_HOURS)
    starts = event_starts_at(event)
    if starts is not None and starts > now:
        deadline = min(deadline, starts)
    return deadline


def _offer_freed_places(event: Event, *, now: datetime.datetime) -> int:
    """Offer each free place to the first in line. Returns how many offers were made."""
    from . import notices

    if event.status != Event.Status.PUBLISHED:
        return 0
    starts = event_starts_at(event)
    if starts is not None and starts <= now:
        return 0  # the event has begun: nobody can take a place any more
    offered = 0
    while places_held(event) < event.capacity:
        first = (
            Registration.objects.filter(event=event, status=Status.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            break
        first.status = Status.OFFERED
        first.offer_expires_at = offer_deadline(event, now=now)
        _waitlist_remove(first)
        first.save(update_fields=["status", "waitlist_position", "offer_expires_at"])
        _notify(notices.REGISTRATION_OFFER, first)
        offered += 1
    return offered


# --- Registering ---------------------------------------------------------------------------


def registration_create(
    *,
    event_id: int,
    user: User | None = None,
    guest_name: str = "",
    guest_email: str = "",
    language: str = "fr",
    answers: Mapping[str, str] | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register a signed-in person (`user`) or a guest (`guest_name`, `guest_email`).
    Returns the registration: confirmed, pending approval, waitlisted, or (guests)
    pending_email with a confirmation link sent."""
    now = now or timezone.now()
    if user is not None and not user.is_authenticated:
        user = None
    guest_email = guest_email.strip().lower()
    if user is None and not (guest_name.strip() and guest_email):
        raise RegistrationError(_("Please give your name and email address."), code="guest_data")
    if language not in {"fr", "nl", "en"}:
        language = "fr"
    with transaction.atomic():
        event = _lock(event_id)
        window = registration_window(event, now=now)
        if window == WindowState.NOT_YET:
            raise RegistrationError(_("Registration is not open yet."), code="not_yet")
        if window != WindowState.OPEN:
            raise RegistrationError(_("Registration is closed."), code="closed")
        if not user_may_register(event, user):
            if user is None:
                raise RegistrationError(
                    _("Please sign in to register for this event."), code="sign_in"
                )
            raise RegistrationError(
                _("This event is for the members of %(incubator)s.")
                % {"incubator": event.audience_incubator},
                code="audience",
            )
        clean_answers = answers_clean(event, answers or {})
        if user is None:
            pending = (
                Registration.objects.active()
                .filter(event=event, user=None, guest_email__iexact=guest_email)
                .first()
            )
            if pending is not None:
                if pending.status != Status.PENDING_EMAIL:
                    raise RegistrationError(
                        _("This email address is already registered for this event."),
                        code="already",
                    )
                # Typed again: the same registration, a fresh link.
                pending.guest_name = guest_name.strip()
                pending.answers = clean_answers
                pending.language = language
                pending.save(update_fields=["guest_name", "answers", "language"])
                _notify_guest_confirmation(pending, now=now)
                return pending
        registration = Registration(
            event=event,
            user=user,
            guest_name="" if user else guest_name.strip()[:150],
            guest_email="" if user else guest_email,
            language=user.language if user else language,
            answers=clean_answers,
            status=Status.PENDING_EMAIL,
        )
        try:
            with transaction.atomic():
                if user is None:
                    registration.save()
                    _notify_guest_confirmation(registration, now=now)
                else:
                    _place_or_waitlist(event, registration, now=now)
        except IntegrityError:
            raise RegistrationError(
                _("You are already registered for this event."), code="already"
            ) from None
        return registration


def _notify_guest_confirmation(registration: Registration, *, now: datetime.datetime) -> None:
    from . import notices

    notices.guest_confirmation_notify(registration, stamp=int(now.timestamp()))


def guest_confirmation_token(registration: Registration) -> str:
    return signing.TimestampSigner(salt=GUEST_CONFIRM_SALT).sign(registration.token)


def registration_confirm_email(
    *, signed: str, now: datetime.datetime | None = None
) -> Registration:
    """A guest followed the link of the confirmation email: the registration now counts
    (a place or a position, as of now). Following the link twice changes nothing."""
    now = now or timezone.now()
    try:
        token = signing.TimestampSigner(salt=GUEST_CONFIRM_SALT).unsign(
            signed, max_age=datetime.timedelta(hours=settings.EVENTS_GUEST_CONFIRM_HOURS)
        )
    except signing.SignatureExpired:
        raise RegistrationError(
            _("This link has expired: please register again."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise RegistrationError(_("This link is not valid."), code="link_invalid") from None
    registration = Registration.objects.filter(token=token).first()
    if registration is None:
        raise RegistrationError(_("This link is not valid."), code="link_invalid")
    with transaction.atomic():
        event = _lock(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.PENDING_EMAIL:
            return registration
        if event.status != Event.Status.PUBLISHED:
            raise RegistrationError(_("Registration is closed."), code="closed")
        _place_or_waitlist(event, registration, now=now)
        return registration


# --- Changing one's mind -----------------------------------------------------------------------


def registration_cancel(
    *, registration_id: int, by: User | None = None, now: datetime.datetime | None = None
) -> Registration:
    """Cancel (the person, from the ticket page or their account; or an organiser).
    A freed place goes to the first in line."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        event = _lock(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if not registration.is_active:
            return registration
        was_holding = registration.status in Registration.HOLDING_STATUSES
        was_waiting = registration.status == Status.WAITLISTED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.offer_expires_at = None
        if was_waiting:
            _waitlist_remove(registration)
        registration.save(
            update_fields=["status", "cancelled_at", "offer_expires_at", "waitlist_position"]
        )
        if was_holding:
            _offer_freed_places(event, now=now)
        return registration


def registration_offer_accept(
    *, registration_id: int, now: datetime.datetime | None = None
) -> Registration:
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        event = _lock(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status in (Status.CONFIRMED, Status.PENDING_APPROVAL):
            return registration  # accepted already (the link followed twice)
        if registration.status != Status.OFFERED or registration.offer_expires_at <= now:
            raise RegistrationError(
                _("This offer has expired or was withdrawn."), code="offer_expired"
            )
        registration.offer_expires_at = None
        if event.approval == Event.Approval.AUTOMATIC:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = Status.PENDING_APPROVAL
        registration.save(update_fields=["status", "offer_expires_at", "confirmed_at"])
        _notify_new_state(registration)
        return registration


def registration_offer_decline(
    *, registration_id: int, now: datetime.datetime | None = None
) -> Registration:
    """Say no to an offered place: it passes to the next in line at once."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        event = _lock(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status != Status.OFFERED:
            return registration
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
        _offer_freed_places(event, now=now)
        return registration


def registration_offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Offers not answered in time expire and pass to the next in line; guests' email
    confirmations left too long are dropped. Safe to run from several beats at once:
    each offer is re-read under its event's lock."""
    from . import notices

    now = now or timezone.now()
    expired = 0
    due = (
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at")
        .values_list("pk", "event_id")[:200]
    )
    for pk, event_id in list(due):
        with transaction.atomic():
            event = _lock(event_id)
            updated = Registration.objects.filter(
                pk=pk, status=Status.OFFERED, offer_expires_at__lte=now
            ).update(status=Status.EXPIRED, offer_expires_at=None)
            if not updated:
                continue
            expired += 1
            notices.registration_notify(
                notices.REGISTRATION_OFFER_EXPIRED, Registration.objects.get(pk=pk)
            )
            _offer_freed_places(event, now=now)
    stale = now - datetime.timedelta(hours=settings.EVENTS_GUEST_CONFIRM_HOURS)
    Registration.objects.filter(status=Status.PENDING_EMAIL, created_at__lt=stale).update(
        status=Status.EXPIRED
    )
    return expired


# --- Organisers ------------------------------------------------------------------------------


def registration_approve(
    *, registration_id: int, by: User, now: datetime.datetime | None = None
) -> Registration:
    from . import notices

    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        _lock(registration.event_id)
        updated = Registration.objects.filter(
            pk=registration_id, status=Status.PENDING_APPROVAL
        ).update(status=Status.CONFIRMED, decided_by=by, decided_at=now, confirmed_at=now)
        registration.refresh_from_db()
        if updated:
            notices.registration_notify(notices.REGISTRATION_CONFIRMED, registration)
        return registration


def registration_refuse(
    *, registration_id: int, by: User, now: datetime.datetime | None = None
) -> Registration:
    """Refuse a registration waiting for approval (or on the waiting list): the person is
    told, and a place it held goes to the first in line."""
    from . import notices

    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        event = _lock(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status not in (Status.PENDING_APPROVAL, Status.WAITLISTED):
            return registration
        was_holding = registration.status == Status.PENDING_APPROVAL
        was_waiting = registration.status == Status.WAITLISTED
        registration.status = Status.REFUSED
        registration.decided_by = by
        registration.decided_at = now
        if was_waiting:
            _waitlist_remove(registration)
        registration.save(update_fields=["status", "decided_by", "decided_at", "waitlist_position"])
        notices.registration_notify(notices.REGISTRATION_REFUSED, registration)
        if was_holding:
            _offer_freed_places(event, now=now)
        return registration


def event_places_fill(*, event_id: int, now: datetime.datetime | None = None) -> int:
    """After the capacity grew (or an event was published again): offer the free places
    to the waiting list. Returns how many offers were made."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event_id)
        return _offer_freed_places(event, now=now)
