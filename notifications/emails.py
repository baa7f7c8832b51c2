"""What each kind of notification says, built at sending time in the recipient's language.

A builder returns None when the message is no longer relevant (a cancelled booking gets
no reminder, an empty agenda is not sent, an opted-out digest is dropped): the object is
always checked again right before sending.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification

UNSUBSCRIBE_SALT = "hub_eu.notifications.unsubscribe"
# How many items a digest lists before it says "and N more".
DIGEST_ITEMS = 30


@dataclass
class Email:
    subject: str
    lines: list[str]
    action_url: str = ""
    action_label: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    # Set for non-essential mail (digests): the link that switches it off.
    unsubscribe_url: str = ""


def absolute_url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def unsubscribe_token(*, user_id: int, preference: str) -> str:
    return signing.dumps({"u": user_id, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("p", ""))


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'l j F Y')}, {local:%H:%M}"


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _ics(booking) -> list[tuple[str, bytes, str]]:
    from permanences.ics import booking_ics

    return [
        (
            "permanence.ics",
            booking_ics(booking, language=translation.get_language()),
            "text/calendar",
        )
    ]


def _place(slot) -> str:
    if slot.schedule.mode == slot.schedule.Mode.ONLINE:
        return _("online: %(link)s") % {"link": slot.schedule.meeting_url}
    return slot.incubator.name


# --- Bookings ------------------------------------------------------------------------


def _booking_confirmed(n: Notification) -> Email | None:
    booking = n.booking
    if booking.status != booking.Status.CONFIRMED:
        return None
    return Email(
        subject=_("Your permanence with %(agency)s is confirmed")
        % {"agency": booking.slot.agency.short_name},
        lines=[
            _("%(when)s at %(place)s.")
            % {"when": _when(booking.starts_at), "place": _place(booking.slot)},
            _("You want to discuss: %(topic)s") % {"topic": booking.topic},
            _("The calendar file is attached."),
        ],
        action_url=absolute_url("permanences:booking_detail", pk=booking.pk),
        action_label=_("See or change your booking"),
        attachments=_ics(booking),
    )


def _booking_rescheduled(n: Notification) -> Email | None:
    booking = n.booking
    if booking.status != booking.Status.CONFIRMED:
        return None
    return Email(
        subject=_("Your permanence with %(agency)s has moved")
        % {"agency": booking.slot.agency.short_name},
        lines=[
            _("It is now %(when)s at %(place)s.")
            % {"when": _when(booking.starts_at), "place": _place(booking.slot)}
        ],
        action_url=absolute_url("permanences:booking_detail", pk=booking.pk),
        action_label=_("See your booking"),
        attachments=_ics(booking),
    )


def _booking_cancelled_by_user(n: Notification) -> Email | None:
    booking = n.booking
    return Email(
        subject=_("A booking of %(when)s was cancelled") % {"when": _when(booking.starts_at)},
        lines=[
            _("%(person)s cancelled their booking at %(place)s.")
            % {"person": booking.user, "place": booking.slot.incubator.name},
            _("Reason: %(reason)s") % {"reason": booking.cancel_reason or "—"},
        ],
        action_url=absolute_url("permanences:advisor_permanences"),
        action_label=_("My permanences"),
    )


def _booking_cancelled_by_staff(n: Notification) -> Email | None:
    from permanences.selectors import SlotFilters, slot_list_upcoming

    booking = n.booking
    slot = booking.slot
    agency = slot.agency.short_name
    lines = [
        _("We are sorry: the permanence of %(agency)s at %(place)s is cancelled.")
        % {"agency": agency, "place": slot.incubator.name},
        _("Reason: %(reason)s") % {"reason": booking.cancel_reason or "—"},
    ]
    others = list(slot_list_upcoming(filters=SlotFilters(agency=slot.agency.slug))[:3])
    if others:
        lines.append(_("Other free slots with %(agency)s:") % {"agency": agency})
        lines += [
            f"• {_when(other.starts_at)} · {other.incubator.name}: "
            + absolute_url("permanences:booking_create", slot_pk=other.pk)
            for other in others
        ]
    return Email(
        subject=_("Your permanence of %(when)s is cancelled") % {"when": _when(booking.starts_at)},
        lines=lines,
        action_url=absolute_url("permanences:slot_list") + f"?agency={slot.agency.slug}",
        action_label=_("Find another slot with %(agency)s") % {"agency": agency},
    )


def _booking_reminder(n: Notification) -> Email | None:
    booking = n.booking
    if booking.status != booking.Status.CONFIRMED or booking.starts_at <= timezone.now():
        return None
    slot = booking.slot
    lines = [
        _("%(when)s at %(place)s, with %(agency)s.")
        % {
            "when": _when(booking.starts_at),
            "place": _place(slot),
            "agency": slot.agency.short_name,
        },
        _("You want to discuss: %(topic)s") % {"topic": booking.topic},
    ]
    if slot.incubator.street and slot.schedule.mode != slot.schedule.Mode.ONLINE:
        lines.append(_("Address: %(address)s") % {"address": slot.incubator.address})
    lines.append(_("Cannot come? Cancel it so that someone else can take the place."))
    return Email(
        subject=_("Reminder: your permanence with %(agency)s on %(when)s")
        % {"agency": slot.agency.short_name, "when": _when(booking.starts_at)},
        lines=lines,
        action_url=absolute_url("permanences:booking_detail", pk=booking.pk),
        action_label=_("See or cancel your booking"),
        attachments=_ics(booking),
    )


# --- Advisors, agencies, incubators --------------------------------------------------


def _advisor_agenda(n: Notification) -> Email | None:
    from permanences.models import Booking
    from permanences.selectors import advisor_slots

    advisor = getattr(n.recipient, "advisor_profile", None)
    if advisor is None or not advisor.is_active:
        return None
    day = datetime.date.fromisoformat(n.context["date"])
    start, end = _day_bounds(day)
    lines = []
    for slot in advisor_slots(advisor=advisor, start=start, end=end):
        for booking in slot.bookings.all():
            if booking.status != Booking.Status.CONFIRMED:
                continue
            local = timezone.localtime(booking.starts_at)
            person = str(booking.user)
            if booking.company:
                person = f"{person} ({booking.company.name})"
            lines.append(
                f"{local:%H:%M}–{timezone.localtime(booking.ends_at):%H:%M} · "
                f"{slot.incubator.name} · {person} · {booking.category.name}: {booking.topic}"
            )
    if not lines:
        return None
    return Email(
        subject=ngettext(
            "Your agenda for %(day)s: %(count)s meeting",
            "Your agenda for %(day)s: %(count)s meetings",
            len(lines),
        )
        % {"day": date_format(day, "l j F"), "count": len(lines)},
        lines=lines,
        action_url=absolute_url("permanences:advisor_permanences"),
        action_label=_("My permanences"),
    )


def _needs_overdue_digest(n: Notification) -> Email | None:
    from needs.models import RoutedNeed

    advisor = getattr(n.recipient, "advisor_profile", None)
    if advisor is None or not advisor.is_active:
        return None
    overdue = (
        RoutedNeed.objects.filter(
            agency_id=advisor.agency_id,
            shared=True,
            status=RoutedNeed.Status.NEW,
            ack_due_at__lt=timezone.now(),
        )
        .select_related("need__user", "need__category", "need__incubator")
        .order_by("ack_due_at")
    )
    count = overdue.count()
    if not count:
        return None
    lines = [
        _("%(category)s · %(person)s · waiting since %(since)s")
        % {
            "category": routed.need.category.name,
            "person": routed.need.user,
            "since": date_format(timezone.localtime(routed.created_at), "j F"),
        }
        for routed in overdue[:DIGEST_ITEMS]
    ]
    if count > DIGEST_ITEMS:
        lines.append(_("… and %(count)s more.") % {"count": count - DIGEST_ITEMS})
    return Email(
        subject=ngettext(
            "%(agency)s: %(count)s need waits for an answer",
            "%(agency)s: %(count)s needs wait for an answer",
            count,
        )
        % {"agency": advisor.agency.short_name, "count": count},
        lines=lines,
        action_url=absolute_url("needs:inbox") + "?overdue=on",
        action_label=_("Open the overdue needs"),
        unsubscribe_url=_unsubscribe_url(n),
    )


def _permanences_weekly_digest(n: Notification) -> Email | None:
    from permanences.models import Slot

    monday = datetime.date.fromisoformat(n.context["date"])
    start, _end = _day_bounds(monday)
    end = start + datetime.timedelta(days=7)
    slots = (
        Slot.objects.filter(
            incubator__managers=n.recipient,
            starts_at__gte=start,
            starts_at__lt=end,
            status=Slot.Status.OPEN,
        )
        .select_related("agency", "incubator")
        .order_by("starts_at")
    )
    # One line per permanence (a morning of slots), not per 30-minute slot.
    days: dict[tuple, list] = {}
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        days.setdefault((local.date(), slot.incubator.name, slot.agency.short_name), []).append(
            slot
        )
    if not days:
        return None
    lines = []
    for (day, incubator, agency), group in days.items():
        booked = sum(s.booked_count for s in group)
        capacity = sum(s.capacity for s in group)
        lines.append(
            _(
                "%(day)s %(start)s–%(end)s · %(incubator)s · %(agency)s · "
                "%(booked)s/%(places)s booked"
            )
            % {
                "day": date_format(day, "l j F"),
                "start": f"{timezone.localtime(group[0].starts_at):%H:%M}",
                "end": f"{timezone.localtime(group[-1].ends_at):%H:%M}",
                "incubator": incubator,
                "agency": agency,
                "booked": booked,
                "places": capacity,
            }
        )
    return Email(
        subject=_("The permanences of the week of %(day)s") % {"day": date_format(monday, "j F")},
        lines=lines,
        action_url=absolute_url("permanences:slot_list"),
        action_label=_("See all permanences"),
        unsubscribe_url=_unsubscribe_url(n),
    )


def _unsubscribe_url(n: Notification) -> str:
    preference = Notification.DIGEST_PREFERENCE[n.kind]
    token = unsubscribe_token(user_id=n.recipient_id, preference=preference)
    return absolute_url("notifications:unsubscribe", token=token)


# --- Surveys -------------------------------------------------------------------------


def _survey(n: Notification) -> Email | None:
    """An invitation or a reminder: every open invitation of the person to that survey
    (after a booking, the one about that booking), one link each."""
    from permanences.models import Booking
    from surveys.models import Invitation
    from surveys.services import invitation_token

    survey = n.survey
    now = timezone.now()
    if survey is None or not survey.is_open(now):
        return None
    invitations = Invitation.objects.filter(
        survey=survey, user_id=n.recipient_id, answered_at__isnull=True, expires_at__gt=now
    ).select_related("agency", "incubator", "booking")
    if n.booking_id:
        if n.booking.status != Booking.Status.ATTENDED:
            return None
        invitations = invitations.filter(booking_id=n.booking_id)
    invitations = list(invitations.order_by("agency__order", "pk"))
    if not invitations:
        return None
    links = [
        (invitation, absolute_url("surveys:answer", token=invitation_token(invitation)))
        for invitation in invitations
    ]
    first = invitations[0]
    if first.booking_id:
        subject = _("How was your meeting with %(agency)s?") % {"agency": first.agency.short_name}
        lines = [
            _(
                "You met %(agency)s at %(place)s on %(day)s. "
                "Tell us how it went: it takes two minutes."
            )
            % {
                "agency": first.agency.short_name,
                "place": first.incubator.name,
                "day": date_format(timezone.localtime(first.booking.starts_at), "j F"),
            }
        ]
    else:
        subject = _("Your opinion on the agencies at %(incubator)s") % {
            "incubator": first.incubator.name
        }
        lines = [
            _("%(title)s: one short form per agency holding permanences at %(incubator)s.")
            % {"title": survey.title, "incubator": first.incubator.name}
        ]
        lines += [
            _("About %(agency)s: %(link)s") % {"agency": invitation.agency.short_name, "link": link}
            for invitation, link in links
        ]
    if survey.intro:
        lines.append(survey.intro)
    if survey.anonymous:
        lines.append(_("Your answers are anonymous."))
    lines.append(
        _("The link can be used once, until %(day)s.")
        % {"day": date_format(timezone.localtime(first.expires_at), "j F Y")}
    )
    if n.kind == Notification.Kind.SURVEY_REMINDER:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    return Email(
        subject=subject,
        lines=lines,
        action_url=links[0][1] if len(links) == 1 else "",
        action_label=_("Answer the survey"),
        unsubscribe_url=_unsubscribe_url(n),
    )


# --- Needs ---------------------------------------------------------------------------


def _need(n: Notification) -> Email | None:
    routed = n.routed_need
    if not routed.shared:
        return None
    need = routed.need
    if n.kind == Notification.Kind.NEED_ROUTED:
        return Email(
            subject=_("New need for %(agency)s: %(category)s")
            % {"agency": routed.agency.short_name, "category": need.category.name},
            lines=[_("From %(person)s.") % {"person": need.user}, need.description],
            action_url=absolute_url("needs:inbox_detail", pk=routed.pk),
            action_label=_("Open it in your inbox"),
        )
    if n.recipient_id == need.user_id:
        return Email(
            subject=_("%(agency)s about your need: %(status)s")
            % {"agency": routed.agency.short_name, "status": routed.get_status_display()},
            lines=[
                _("There is news about your need “%(category)s”.")
                % {"category": need.category.name}
            ],
            action_url=absolute_url("needs:need_detail", pk=need.pk),
            action_label=_("Read it"),
        )
    return Email(
        subject=_("%(person)s answered about their need") % {"person": need.user},
        lines=[need.category.name],
        action_url=absolute_url("needs:inbox_detail", pk=routed.pk),
        action_label=_("Open it in your inbox"),
    )


Kind = Notification.Kind
BUILDERS: dict[str, Callable[[Notification], Email | None]] = {
    Kind.BOOKING_CONFIRMED: _booking_confirmed,
    Kind.BOOKING_RESCHEDULED: _booking_rescheduled,
    Kind.BOOKING_CANCELLED_BY_USER: _booking_cancelled_by_user,
    Kind.BOOKING_CANCELLED_BY_STAFF: _booking_cancelled_by_staff,
    Kind.BOOKING_REMINDER: _booking_reminder,
    Kind.BOOKING_SECOND_REMINDER: _booking_reminder,
    Kind.ADVISOR_AGENDA: _advisor_agenda,
    Kind.NEEDS_OVERDUE_DIGEST: _needs_overdue_digest,
    Kind.PERMANENCES_WEEKLY_DIGEST: _permanences_weekly_digest,
    Kind.SURVEY_INVITATION: _survey,
    Kind.SURVEY_REMINDER: _survey,
    Kind.NEED_ROUTED: _need,
    Kind.NEED_UPDATED: _need,
    Kind.NEED_ANSWERED: _need,
}


def build_email(notification: Notification) -> EmailMultiAlternatives | None:
    """The message in the recipient's language, or None when it is no longer relevant."""
    recipient = notification.recipient
    if not recipient.is_active:
        return None
    preference = Notification.DIGEST_PREFERENCE.get(notification.kind)
    if preference and not getattr(recipient, preference):
        return None
    with translation.override(recipient.language):
        email = BUILDERS[notification.kind](notification)
        if email is None:
            return None
        context = {"email": email, "recipient": recipient}
        headers = {"X-Hub-Notification": notification.key}
        if email.unsubscribe_url:
            # RFC 2369 and RFC 8058: mail clients offer a one-click "unsubscribe".
            headers["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=render_to_string("emails/notification.txt", context),
            to=[recipient.email],
            headers=headers,
        )
        message.attach_alternative(
            render_to_string("emails/notification.html", context), "text/html"
        )
        for name, content, mimetype in email.attachments:
            message.attach(name, content, mimetype)
    return message


__all__ = ["Email", "build_email", "unsubscribe_token", "unsubscribe_token_read"]
