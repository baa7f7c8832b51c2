"""What events tell registrants: registration received, confirmed (the ticket, with its QR
code and calendar file), on the waiting list, a place offered, an offer expired, refused,
and a guest's email confirmation link.

Declared in the notifications registry and built at sending time in the recipient's
language. People with an account get them through the outbox of `notifications`; guests
(no account) through `events.models.GuestNotice`, built by the same builders
(`registration_notify` picks the way). Offers that ran out are expired by a planner the
beat runs every minute (`offers_expire_plan`).
"""

import datetime
import io
import logging
from types import SimpleNamespace

import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import registry
from notifications.emails import Email, absolute_url, when
from notifications.models import Notification
from notifications.services import notification_record

from .ics import event_ics, event_place
from .models import GuestNotice, Registration

logger = logging.getLogger(__name__)

REGISTRATION_RECEIVED = "event_registration_received"
REGISTRATION_CONFIRMED = "event_registration_confirmed"
REGISTRATION_WAITLISTED = "event_registration_waitlisted"
REGISTRATION_OFFER = "event_registration_offer"
REGISTRATION_OFFER_EXPIRED = "event_registration_offer_expired"
REGISTRATION_REFUSED = "event_registration_refused"
GUEST_EMAIL_CONFIRM = "event_guest_email_confirm"

GUEST_MAX_ATTEMPTS = 6

Status = Registration.Status

registry.subject(
    Registration,
    lambda: Registration.objects.select_related("event__venue", "user"),
)


# --- Recording ----------------------------------------------------------------------------


def registration_notify(
    kind: str, registration: Registration, *, key_suffix: str = "", context: dict | None = None
) -> None:
    """Record a notice about `registration` for its person, inside the caller's
    transaction: the outbox for someone with an account, the guest queue otherwise.
    `context` reaches the builder as `n.context` either way."""
    key = f"{kind}:event-registration:{registration.pk}{key_suffix}"
    if registration.user_id:
        notification_record(
            kind=kind, recipient=registration.user, key=key, subject=registration, context=context
        )
        return
    registry.kind(kind)
    try:
        with transaction.atomic():
            notice = GuestNotice.objects.create(
                registration=registration, kind=kind, key=key, context=context or {}
            )
    except IntegrityError:
        return
    transaction.on_commit(lambda: _enqueue_guest(notice.pk))


def guest_confirmation_notify(registration: Registration, *, stamp: int) -> None:
    registration_notify(GUEST_EMAIL_CONFIRM, registration, key_suffix=f":{stamp}")


def _enqueue_guest(pk: int) -> None:
    from .tasks import send_guest_notice

    try:
        send_guest_notice.apply_async(args=[pk], retry=False)
    except Exception as exc:  # noqa: BLE001 - the planner sends it on the next tick
        logger.warning("Guest notice %s not queued (%s); the planner will send it.", pk, exc)


# --- Helpers -------------------------------------------------------------------------------


def ticket_url(registration: Registration) -> str:
    return absolute_url("events:ticket", token=registration.token)


def checkin_url(registration: Registration) -> str:
    return absolute_url("events:checkin", token=registration.token)


def ticket_qr_png(registration: Registration) -> bytes:
    buffer = io.BytesIO()
    segno.make(checkin_url(registration), error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _first_session(registration: Registration):
    return registration.event.sessions.first()


def _when_where(registration: Registration) -> str:
    event = registration.event
    session = _first_session(registration)
    moment = capfirst(when(session.starts_at)) if session else "—"
    return _("%(when)s — %(place)s.") % {"when": moment, "place": event_place(event)}


def _ics(registration: Registration) -> tuple[str, bytes, str]:
    return (
        "event.ics",
        event_ics(registration.event, language=translation.get_language()),
        "text/calendar",
    )


# --- The notices -----------------------------------------------------------------------------


@registry.notice(REGISTRATION_CONFIRMED, gettext_lazy("Event registration confirmed (ticket)"))
def registration_confirmed(n: Notification) -> Email | None:
    registration = n.subject
    if registration.status != Status.CONFIRMED:
        return None
    event = registration.event
    return Email(
        subject=_("Your ticket: %(event)s") % {"event": event.title},
        lines=[
            _("Your place is confirmed."),
            _when_where(registration),
            _("Show the QR code attached (or the ticket page) at the entrance."),
            _(
                "The calendar file is attached. If you cannot come, please cancel from your "
                "ticket page: someone on the waiting list will get your place."
            ),
        ],
        action_url=ticket_url(registration),
        action_label=_("See your ticket"),
        attachments=[
            ("ticket-qr.png", ticket_qr_png(registration), "image/png"),
            _ics(registration),
        ],
    )


@registry.notice(
    REGISTRATION_RECEIVED, gettext_lazy("Event registration received (awaiting approval)")
)
def registration_received(n: Notification) -> Email | None:
    registration = n.subject
    if registration.status != Status.PENDING_APPROVAL:
        return None
    return Email(
        subject=_("Registration received: %(event)s") % {"event": registration.event.title},
        lines=[
            _(
                "The organisers approve each registration; your place is kept while they decide, "
                "and you will get your ticket by email once they approve it."
            ),
            _when_where(registration),
        ],
        action_url=ticket_url(registration),
        action_label=_("See your registration"),
    )


@registry.notice(REGISTRATION_WAITLISTED, gettext_lazy("Event waiting list joined"))
def registration_waitlisted(n: Notification) -> Email | None:
    registration = n.subject
    if registration.status != Status.WAITLISTED:
        return None
    return Email(
        subject=_("Waiting list: %(event)s") % {"event": registration.event.title},
        lines=[
            _("The event is full: you are number %(position)d on the waiting list.")
            % {"position": registration.waitlist_position},
            _(
                "When a place is freed, it is offered to the first in line by email, for "
                "%(hours)d hours."
            )
            % {"hours": settings.EVENTS_OFFER_HOURS},
            _when_where(registration),
        ],
        action_url=ticket_url(registration),
        action_label=_("See your place in line"),
    )


@registry.notice(REGISTRATION_OFFER, gettext_lazy("Event place offered from the waiting list"))
def registration_offer(n: Notification) -> Email | None:
    registration = n.subject
    if registration.status != Status.OFFERED:
        return None
    return Email(
        subject=_("A place is free for you: %(event)s") % {"event": registration.event.title},
        lines=[
            _("A place has been freed and you are first in line."),
            _when_where(registration),
            _("Accept it before %(deadline)s, or it goes to the next person.")
            % {"deadline": when(registration.offer_expires_at)},
            _("Cannot come? Decline it here: %(url)s")
            % {"url": absolute_url("events:offer_decline", token=registration.token)},
        ],
        action_url=absolute_url("events:offer_accept", token=registration.token),
        action_label=_("Accept the place"),
    )


@registry.notice(REGISTRATION_OFFER_EXPIRED, gettext_lazy("Event place offer expired"))
def registration_offer_expired(n: Notification) -> Email | None:
    registration = n.subject
    if registration.status != Status.EXPIRED:
        return None
    return Email(
        subject=_("The offered place has gone: %(event)s") % {"event": registration.event.title},
        lines=[
            _(
                "The place offered to you was not accepted in time; it has passed to the next "
                "person in line."
            ),
        ],
        action_url=absolute_url("events:event_list"),
        action_label=_("See other events"),
    )


@registry.notice(REGISTRATION_REFUSED, gettext_lazy("Event registration refused"))
def registration_refused(n: Notification) -> Email | None:
    registration = n.subject
    if registration.status != Status.REFUSED:
        return None
    return Email(
        subject=_("Registration not accepted: %(event)s") % {"event": registration.event.title},
        lines=[
            _("We are sorry: the organisers could not accept your registration."),
        ],
        action_url=absolute_url("events:event_list"),
        action_label=_("See other events"),
    )


@registry.notice(GUEST_EMAIL_CONFIRM, gettext_lazy("Event guest email confirmation"))
def guest_email_confirm(n: Notification) -> Email | None:
    from .services import guest_confirmation_token

    registration = n.subject
    if registration.status != Status.PENDING_EMAIL:
        return None
    return Email(
        subject=_("Confirm your registration: %(event)s") % {"event": registration.event.title},
        lines=[
            _(
                "Please confirm your email address: your registration counts only once it is "
                "confirmed (the link is valid for %(hours)d hours)."
            )
            % {"hours": settings.EVENTS_GUEST_CONFIRM_HOURS},
            _when_where(registration),
            _("If you did not register, ignore this email."),
        ],
        action_url=absolute_url(
            "events:guest_confirm", signed=guest_confirmation_token(registration)
        ),
        action_label=_("Confirm my registration"),
    )


# --- Sending to guests --------------------------------------------------------------------------


def _guest_message(notice: GuestNotice) -> EmailMultiAlternatives | None:
    registration = notice.registration
    n = Notification(kind=notice.kind, key=notice.key, context=notice.context)
    n.subject_type = ContentType.objects.get_for_model(Registration)
    n.subject_id = registration.pk
    n.subject = registration
    with translation.override(registration.language):
        email = registry.kind(notice.kind).build(n)
        if email is None:
            return None
        recipient = SimpleNamespace(
            first_name=registration.guest_name, email=registration.guest_email
        )
        context = {"email": email, "recipient": recipient, "unsubscribe_url": ""}
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=render_to_string("emails/notification.txt", context),
            to=[registration.guest_email],
            headers={"X-Hub-Notification": notice.key},
        )
        message.attach_alternative(
            render_to_string("emails/notification.html", context), "text/html"
        )
        for name, content, mimetype in email.attachments:
            message.attach(name, content, mimetype)
    return message


def guest_notices_send(
    *, pks: list[int] | None = None, now: datetime.datetime | None = None
) -> int:
    """Send the guest notices due (all, or those among `pks`). Each is claimed first by a
    conditional update that pushes its next attempt away, so two workers send it once."""
    now = now or timezone.now()
    due = GuestNotice.objects.filter(
        sent_at=None, next_attempt_at__lte=now, attempts__lt=GUEST_MAX_ATTEMPTS
    )
    if pks is not None:
        due = due.filter(pk__in=pks)
    sent = 0
    connection = get_connection()
    try:
        for pk in list(due.order_by("pk").values_list("pk", flat=True)[:100]):
            claimed = GuestNotice.objects.filter(
                pk=pk, sent_at=None, next_attempt_at__lte=now
            ).update(
                attempts=F("attempts") + 1,
                next_attempt_at=now + datetime.timedelta(minutes=5),
            )
            if not claimed:
                continue
            notice = GuestNotice.objects.select_related("registration__event__venue").get(pk=pk)
            try:
                message = _guest_message(notice)
                if message is not None:
                    connection.open()
                    message.connection = connection
                    message.send()
            except Exception as exc:  # noqa: BLE001 - retried with back-off, shown in the admin
                logger.warning("Guest notice %s failed: %s", pk, exc)
                GuestNotice.objects.filter(pk=pk).update(
                    next_attempt_at=now + datetime.timedelta(minutes=min(2**notice.attempts, 240)),
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                )
                connection.close()
                continue
            GuestNotice.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="")
            sent += message is not None
    finally:
        connection.close()
    return sent


# --- Planners (the beat, every minute) ----------------------------------------------------------


@registry.planner
def offers_expire_plan(*, now: datetime.datetime) -> int:
    """Offers not answered in time pass to the next in line."""
    from .services import registration_offers_expire

    return registration_offers_expire(now=now)


@registry.planner
def guest_notices_plan(*, now: datetime.datetime) -> int:
    """Guests' emails not sent yet (queue down, a failure to retry)."""
    return guest_notices_send(now=now)


# E2's notices (reminders, change notices, messages to registrants), declared beside these.
from . import notices_operations  # noqa: E402, F401
