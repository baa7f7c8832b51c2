"""What the needs routing tells people: a new need to the agency's staff, news of a need
to the entrepreneur, messages both ways, and the daily digest of overdue needs."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.language import de
from incubators.models import Advisor
from notifications import registry
from notifications.emails import DIGEST_ITEMS, Email, absolute_url
from notifications.models import Notification
from notifications.services import notification_row, notifications_record_many
from permanences.selectors import slot_when

from .models import RoutedNeed, SlotOffer
from .selectors import slot_offer_rows

NEED_ROUTED = "need_routed"
NEED_UPDATED = "need_updated"
NEED_ANSWERED = "need_answered"
NEEDS_OVERDUE_DIGEST = "needs_overdue_digest"
SLOTS_OFFERED = "slots_offered"
SLOT_OFFER_TAKEN = "slot_offer_taken"

registry.subject(
    RoutedNeed,
    lambda: RoutedNeed.objects.select_related("agency", "need__category", "need__user"),
)


@registry.notice(NEED_ROUTED, gettext_lazy("New need for the agency"))
@registry.notice(NEED_UPDATED, gettext_lazy("Need status changed"))
@registry.notice(NEED_ANSWERED, gettext_lazy("Answer to a need"))
def need_news(n: Notification) -> Email | None:
    routed = n.subject
    if not routed.shared:
        return None
    need = routed.need
    if n.kind == NEED_ROUTED:
        return Email(
            subject=_("New need for %(agency)s: %(category)s")
            % {"agency": routed.agency.short_name, "category": need.category.name},
            lines=[_("From %(of_person)s.") % {"of_person": de(need.user)}, need.description],
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


registry.subject(
    SlotOffer,
    lambda: SlotOffer.objects.select_related(
        "routed__agency", "routed__need__category", "routed__need__user", "taken_booking__slot"
    ),
)


@registry.notice(SLOTS_OFFERED, gettext_lazy("Free slots offered for a need"))
def slots_offered(n: Notification) -> Email | None:
    """Each offered slot that can still be booked, with its one-click booking link."""
    offer = n.subject
    routed = offer.routed
    if not routed.shared or offer.is_taken:
        return None
    need = routed.need
    rows = [r for r in slot_offer_rows(offer=offer, now=timezone.now()) if r["state"] == "open"]
    if not rows:
        return None
    lines = [
        _(
            "%(agency)s offers you a meeting about your need “%(category)s”. "
            "Choose the time that suits you:"
        )
        % {"agency": routed.agency.short_name, "category": need.category.name}
    ]
    if offer.message:
        lines.append(offer.message)
    for row in rows:
        url = absolute_url(
            "needs:offer_book", pk=need.pk, offer_pk=offer.pk, slot_pk=row["slot"].pk
        )
        lines.append(
            f"{capfirst(row['when'])} · {row['place']} · {row['length']}\n"
            + _("Book this slot: %(url)s") % {"url": url}
        )
    return Email(
        subject=_("%(agency)s offers you a meeting: choose a time")
        % {"agency": routed.agency.short_name},
        lines=lines,
        action_url=absolute_url("needs:need_detail", pk=need.pk),
        action_label=_("See the offer"),
    )


@registry.notice(SLOT_OFFER_TAKEN, gettext_lazy("An offered slot was booked"))
def slot_offer_taken(n: Notification) -> Email | None:
    """The advisor who offered the slots hears which one the entrepreneur booked."""
    offer = n.subject
    routed = offer.routed
    if not routed.shared or not offer.is_taken:
        return None
    booking = offer.taken_booking
    need = routed.need
    return Email(
        subject=_("%(person)s booked one of the slots you offered") % {"person": need.user},
        lines=[
            _("%(category)s: %(when)s.")
            % {"category": need.category.name, "when": slot_when(booking.slot)},
            booking.topic,
        ],
        action_url=absolute_url("needs:inbox_detail", pk=routed.pk),
        action_label=_("Open it in your inbox"),
    )


def _overdue_in_inbox(agency_id: int, now: datetime.datetime):
    """What the agency's staff see as overdue: shared with consent, still new too long."""
    return RoutedNeed.objects.filter(agency_id=agency_id, shared=True).overdue(now)


@registry.notice(
    NEEDS_OVERDUE_DIGEST, gettext_lazy("Daily digest of overdue needs"), preference="digest_needs"
)
def needs_overdue_digest(n: Notification) -> Email | None:
    advisor = (
        Advisor.objects.filter(user=n.recipient, is_active=True).select_related("agency").first()
    )
    if advisor is None:
        return None
    overdue = (
        _overdue_in_inbox(advisor.agency_id, timezone.now())
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
    )


@registry.planner
def needs_digest_plan(*, now: datetime.datetime) -> int:
    """From NOTIFICATIONS_DIGEST_HOUR, the staff of each agency with overdue needs get the
    day's digest, unless they switched it off."""
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return 0
    day = local.date().isoformat()
    agencies = RoutedNeed.objects.filter(shared=True).overdue(now).values("agency_id")
    staff = Advisor.objects.filter(
        agency_id__in=agencies, is_active=True, user__is_active=True, user__digest_needs=True
    ).values_list("user_id", flat=True)
    return notifications_record_many(
        [
            notification_row(
                kind=NEEDS_OVERDUE_DIGEST,
                recipient_id=user_id,
                key=f"{NEEDS_OVERDUE_DIGEST}:user:{user_id}:date:{day}",
                context={"date": day},
            )
            for user_id in staff
        ]
    )
