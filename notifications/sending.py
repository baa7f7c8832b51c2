"""Sending what the outbox holds.

A notification is claimed with a conditional update (pending -> sending) before it is
sent, so two workers, two beats or a re-delivered task send it once. Its object is
checked again first (a booking cancelled in the meantime gets no confirmation). A failure
is retried with back-off; after MAX_ATTEMPTS it stays failed, visible in the admin.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claim older than this belongs to a worker that died while sending: it is retried.
STALE_CLAIM = datetime.timedelta(minutes=10)


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(2**attempts, 240))


@dataclass
class Email:
    subject: str
    lines: list[str]
    action_url: str = ""
    action_label: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _when(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')}, {local:%H:%M}"


def _booking_email(notification: Notification) -> Email | None:
    from permanences.ics import booking_ics

    booking = notification.booking
    slot = booking.slot
    place = slot.incubator.name
    agency = slot.agency.short_name
    when = _when(booking.starts_at)
    kind = notification.kind
    if kind == Notification.Kind.BOOKING_CONFIRMED:
        if booking.status != booking.Status.CONFIRMED:
            return None
        return Email(
            subject=_("Your permanence with %(agency)s is confirmed") % {"agency": agency},
            lines=[
                _("%(when)s at %(place)s.") % {"when": when, "place": place},
                _("You want to discuss: %(topic)s") % {"topic": booking.topic},
                _("The calendar file is attached."),
            ],
            action_url=_url("permanences:booking_detail", pk=booking.pk),
            action_label=_("See or change your booking"),
            attachments=[
                (
                    "permanence.ics",
                    booking_ics(booking, language=translation.get_language()),
                    "text/calendar",
                )
            ],
        )
    if kind == Notification.Kind.BOOKING_RESCHEDULED:
        return Email(
            subject=_("Your permanence with %(agency)s has moved") % {"agency": agency},
            lines=[_("It is now %(when)s at %(place)s.") % {"when": when, "place": place}],
            action_url=_url("permanences:booking_detail", pk=booking.pk),
            action_label=_("See your booking"),
            attachments=[
                (
                    "permanence.ics",
                    booking_ics(booking, language=translation.get_language()),
                    "text/calendar",
                )
            ],
        )
    if kind == Notification.Kind.BOOKING_CANCELLED_BY_USER:
        return Email(
            subject=_("A booking of %(when)s was cancelled") % {"when": when},
            lines=[
                _("%(person)s cancelled their booking at %(place)s.")
                % {"person": booking.user, "place": place},
                _("Reason: %(reason)s") % {"reason": booking.cancel_reason or "—"},
            ],
            action_url=_url("permanences:advisor_permanences"),
            action_label=_("My permanences"),
        )
    if kind == Notification.Kind.BOOKING_CANCELLED_BY_STAFF:
        return Email(
            subject=_("Your permanence of %(when)s is cancelled") % {"when": when},
            lines=[
                _("We are sorry: the permanence of %(agency)s at %(place)s is cancelled.")
                % {"agency": agency, "place": place},
                _("Reason: %(reason)s") % {"reason": booking.cancel_reason or "—"},
            ],
            action_url=_url("permanences:slot_list") + f"?agency={slot.agency.slug}",
            action_label=_("Find another slot with %(agency)s") % {"agency": agency},
        )
    return None


def _need_email(notification: Notification) -> Email | None:
    routed = notification.routed_need
    if not routed.shared:
        return None
    need = routed.need
    if notification.kind == Notification.Kind.NEED_ROUTED:
        return Email(
            subject=_("New need for %(agency)s: %(category)s")
            % {"agency": routed.agency.short_name, "category": need.category.name},
            lines=[_("From %(person)s.") % {"person": need.user}, need.description],
            action_url=_url("needs:inbox_detail", pk=routed.pk),
            action_label=_("Open it in your inbox"),
        )
    if notification.recipient_id == need.user_id:
        return Email(
            subject=_("%(agency)s about your need: %(status)s")
            % {"agency": routed.agency.short_name, "status": routed.get_status_display()},
            lines=[
                _("There is news about your need “%(category)s”.")
                % {"category": need.category.name}
            ],
            action_url=_url("needs:need_detail", pk=need.pk),
            action_label=_("Read it"),
        )
    return Email(
        subject=_("%(person)s answered about their need") % {"person": need.user},
        lines=[need.category.name],
        action_url=_url("needs:inbox_detail", pk=routed.pk),
        action_label=_("Open it in your inbox"),
    )


def build_email(notification: Notification) -> EmailMultiAlternatives | None:
    """The message in the recipient's language, or None when it is no longer relevant."""
    recipient = notification.recipient
    with translation.override(recipient.language):
        email = (
            _booking_email(notification)
            if notification.booking_id
            else _need_email(notification)
            if notification.routed_need_id
            else None
        )
        if email is None:
            return None
        context = {"email": email, "recipient": recipient}
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=render_to_string("emails/notification.txt", context),
            to=[recipient.email],
        )
        message.attach_alternative(
            render_to_string("emails/notification.html", context), "text/html"
        )
        for name, content, mimetype in email.attachments:
            message.attach(name, content, mimetype)
    return message


def notification_claim(*, pk: int, now: datetime.datetime | None = None) -> Notification | None:
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
        | Q(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=pk,
    ).update(state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Notification.objects.select_related(
        "recipient",
        "booking__slot__agency",
        "booking__slot__incubator",
        "booking__slot__schedule",
        "booking__category",
        "booking__user",
        "routed_need__agency",
        "routed_need__need__category",
        "routed_need__need__user",
    ).get(pk=pk)


def notification_send(*, pk: int) -> bool:
    """Send one notification if it is due and nobody else is sending it. True if sent."""
    notification = notification_claim(pk=pk)
    if notification is None:
        return False
    try:
        message = build_email(notification)
        if message is None:
            Notification.objects.filter(pk=pk, state=Notification.State.SENDING).update(
                state=Notification.State.SKIPPED
            )
            return False
        message.send()
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then shown in the admin
        logger.warning("Notification %s failed: %s", pk, exc)
        failed = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=pk, state=Notification.State.SENDING).update(
            state=Notification.State.FAILED if failed else Notification.State.PENDING,
            next_attempt_at=timezone.now() + retry_delay(notification.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    Notification.objects.filter(pk=pk, state=Notification.State.SENDING).update(
        state=Notification.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def notifications_due(*, limit: int = 500) -> list[int]:
    now = timezone.now()
    return list(
        Notification.objects.filter(
            Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_dispatch(*, limit: int = 500) -> int:
    """What beat runs every minute: send whatever is due or was left behind."""
    return sum(notification_send(pk=pk) for pk in notifications_due(limit=limit))
