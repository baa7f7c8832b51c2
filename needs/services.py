"""Writes on needs: declaring, routing, moving through an agency's inbox, answering,
transferring, and withdrawing consent. Every step leaves an event; every change someone
must hear of is recorded in the outbox in the same transaction."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.language import de
from incubators.models import (
    Advisor,
    Agency,
    Company,
    Consent,
    Incubator,
    Membership,
    NeedCategory,
)
from incubators.services import consent_end_quietly, consent_give
from notifications.services import notification_record
from permanences.models import Booking, Slot
from permanences.services import booking_create

from . import notices
from .models import (
    InboxCount,
    Need,
    NeedMessage,
    RoutedNeed,
    RoutedNeedEvent,
    RoutingRule,
    SlotOffer,
)
from .selectors import OFFER_MAX_SLOTS, offerable_slots
from .signals import need_changed, need_routed, need_unshared

Status = RoutedNeed.Status
Code = RoutedNeedEvent.Code

# Which step may follow which.
TRANSITIONS = {
    Status.ACKNOWLEDGED: (Status.NEW,),
    Status.IN_PROGRESS: (Status.NEW, Status.ACKNOWLEDGED),
    Status.RESOLVED: (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
    Status.DECLINED: (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
    Status.TRANSFERRED: (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS),
}


@dataclass
class NeedRefused(Exception):
    """A step that cannot be taken; `message` is for the person who tried."""

    message: str

    def __str__(self) -> str:
        return self.message


def _context_of(user: User) -> tuple[Company | None, Incubator | None]:
    """The entrepreneur's company and incubator now (a confirmed, current membership)."""
    today = timezone.localdate()
    membership = (
        Membership.objects.current(on=today)
        .filter(company__people=user)
        .select_related("company", "incubator")
        .order_by("-start")
        .first()
    )
    if membership:
        return membership.company, membership.incubator
    return user.companies.order_by("-created_at").first(), None


def agencies_for(*, need: Need) -> list[Agency]:
    """The routing rules: the most specific matching rules for the need's category win;
    a fallback rule (no category) applies when none matches."""
    company = need.company
    candidates = []
    for rule in RoutingRule.objects.filter(is_active=True).prefetch_related("agencies"):
        if rule.category_id and rule.category_id != need.category_id:
            continue
        if rule.incubator_id and rule.incubator_id != need.incubator_id:
            continue
        if rule.stage and (company is None or rule.stage != company.stage):
            continue
        if rule.sector and (company is None or rule.sector != company.sector):
            continue
        candidates.append(rule)
    specific = [rule for rule in candidates if rule.category_id] or candidates
    if not specific:
        return []
    best = max(rule.specificity for rule in specific)
    agencies = {
        a.pk: a for rule in specific if rule.specificity == best for a in rule.agencies.all()
    }
    return [a for a in agencies.values() if a.is_active]


def _staff_of(agency: Agency) -> list[User]:
    return [
        a.user for a in Advisor.objects.filter(agency=agency, is_active=True).select_related("user")
    ]


def _route_to(
    *,
    need: Need,
    agency: Agency,
    by: User | None,
    code: str,
    params: dict | None = None,
    note: str = "",
    transferred_from=None,
) -> RoutedNeed | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            routed = RoutedNeed.objects.create(
                need=need,
                agency=agency,
                ack_due_at=now + datetime.timedelta(hours=agency.needs_ack_hours),
                transferred_from=transferred_from,
            )
    except IntegrityError:
        return None  # already open in that agency's inbox
    # Only a need shared with consent is routed: the agency that receives it is recorded.
    consent_give(
        user=need.user,
        agency=agency,
        purpose=Consent.Purpose.NEED,
        given_at=need.consent_changed_at,
    )
    RoutedNeedEvent.objects.create(
        routed=routed, actor=by, to_status=Status.NEW, code=code, params=params or {}, note=note
    )
    for person in _staff_of(agency):
        notification_record(
            kind=notices.NEED_ROUTED,
            recipient=person,
            subject=routed,
            key=f"need_routed:routed:{routed.pk}:user:{person.pk}",
        )
    need_routed.send(sender=RoutedNeed, routed=routed)
    return routed


@transaction.atomic
def need_route(*, need: Need, by: User | None = None) -> list[RoutedNeed]:
    """Route a need by the rules. Nothing is routed without the entrepreneur's consent."""
    if not need.consent:
        return []
    routed = []
    for agency in agencies_for(need=need):
        item = _route_to(need=need, agency=agency, by=by, code=Code.ROUTED_BY_RULES)
        if item:
            routed.append(item)
    return routed


@transaction.atomic
def need_create(
    *,
    user: User,
    category: NeedCategory,
    description: str,
    urgency: str = Need.Urgency.NORMAL,
    consent: bool,
    source: str = Need.Source.PROFILE,
    booking=None,
    created_by: User | None = None,
    agency: Agency | None = None,
) -> Need:
    """Record a need and route it at once: to `agency` if given (a need declared while
    booking goes to that permanence's agency), else by the rules."""
    company, incubator = _context_of(user)
    need = Need.objects.create(
        user=user,
        company=company,
        incubator=incubator,
        category=category,
        description=description,
        urgency=urgency,
        consent=consent,
        consent_changed_at=timezone.now() if consent else None,
        source=source,
        booking=booking,
        created_by=created_by,
    )
    if consent:
        if agency is not None:
            _route_to(
                need=need,
                agency=agency,
                by=created_by or user,
                code=Code.DECLARED_WHILE_BOOKING,
            )
        else:
            need_route(need=need, by=created_by)
    return need


def route_override(*, need: Need, agency: Agency, by: User, note: str = "") -> RoutedNeed:
    """The coordinator sends a need to an agency the rules did not choose."""
    if not need.consent:
        raise NeedRefused(_("This need is not shared: the entrepreneur has not given consent."))
    with transaction.atomic():
        routed = _route_to(
            need=need, agency=agency, by=by, code=Code.ROUTED_BY_COORDINATOR, note=note
        )
    if routed is None:
        raise NeedRefused(
            _("This need is already open at %(of_agency)s.") % {"of_agency": de(agency)}
        )
    return routed


def _tell_entrepreneur(routed: RoutedNeed, kind: str, event: RoutedNeedEvent) -> None:
    notification_record(
        kind=kind,
        recipient=routed.need.user,
        subject=routed,
        key=f"{kind}:routed:{routed.pk}:event:{event.pk}",
    )


def _move(
    *,
    routed: RoutedNeed,
    to: str,
    by: User,
    note: str = "",
    code: str = "",
    params: dict | None = None,
    extra: dict | None = None,
    tell: bool = True,
) -> RoutedNeed:
    """Move a routed need to `to` if its current status allows it. The entrepreneur is
    told, unless the move comes with a message that tells them already (`tell=False`)."""
    now = timezone.now()
    fields = {"status": to, "updated_at": now, **(extra or {})}
    if to == Status.ACKNOWLEDGED or (to not in (Status.NEW,) and routed.acknowledged_at is None):
        fields.setdefault("acknowledged_at", now)
    if to in (Status.RESOLVED, Status.DECLINED, Status.TRANSFERRED):
        fields["closed_at"] = now
    with transaction.atomic():
        updated = RoutedNeed.objects.filter(pk=routed.pk, status__in=TRANSITIONS[to]).update(
            **fields
        )
        if not updated:
            raise NeedRefused(_("This need has moved on in the meantime; reload the page."))
        event = RoutedNeedEvent.objects.create(
            routed=routed,
            actor=by,
            from_status=routed.status,
            to_status=to,
            code=code,
            params=params or {},
            note=note,
        )
        routed.refresh_from_db()
        if tell:
            _tell_entrepreneur(routed, notices.NEED_UPDATED, event)
        need_changed.send(sender=RoutedNeed, routed=routed, change="status")
    return routed


def routed_need_acknowledge(*, routed: RoutedNeed, by: User, note: str = "") -> RoutedNeed:
    return _move(routed=routed, to=Status.ACKNOWLEDGED, by=by, note=note)


def routed_need_start(*, routed: RoutedNeed, by: User, note: str = "") -> RoutedNeed:
    return _move(routed=routed, to=Status.IN_PROGRESS, by=by, note=note)


def routed_need_resolve(*, routed: RoutedNeed, by: User, note: str = "") -> RoutedNeed:
    return _move(routed=routed, to=Status.RESOLVED, by=by, note=note)


def routed_need_decline(*, routed: RoutedNeed, by: User, note: str) -> RoutedNeed:
    if not note.strip():
        raise NeedRefused(_("Say why the need is declined: the entrepreneur will read it."))
    return _move(routed=routed, to=Status.DECLINED, by=by, note=note)


def routed_need_transfer(
    *, routed: RoutedNeed, to_agency: Agency, by: User, reason: str
) -> RoutedNeed:
    """Hand the need on to another agency with a reason; the history stays with both."""
    if not reason.strip():
        raise NeedRefused(_("Give a reason for the transfer."))
    if to_agency.pk == routed.agency_id:
        raise NeedRefused(_("Choose another agency."))
    with transaction.atomic():
        _move(
            routed=routed,
            to=Status.TRANSFERRED,
            by=by,
            note=reason,
            code=Code.TRANSFERRED_TO,
            params={"agency": str(to_agency)},
        )
        new = _route_to(
            need=routed.need,
            agency=to_agency,
            by=by,
            code=Code.TRANSFERRED_FROM,
            params={"agency": str(routed.agency)},
            note=reason,
            transferred_from=routed,
        )
        if new is None:
            raise NeedRefused(
                _("This need is already open at %(of_agency)s.") % {"of_agency": de(to_agency)}
            )
    return new


@transaction.atomic
def routed_need_assign(*, routed: RoutedNeed, advisor: Advisor | None, by: User) -> RoutedNeed:
    if advisor is not None and advisor.agency_id != routed.agency_id:
        raise NeedRefused(_("Choose an advisor of this agency."))
    updated = RoutedNeed.objects.filter(pk=routed.pk, status__in=RoutedNeed.OPEN_STATUSES).update(
        assigned_to=advisor, updated_at=timezone.now()
    )
    if not updated:
        raise NeedRefused(_("This need is closed: it can no longer be assigned."))
    RoutedNeedEvent.objects.create(
        routed=routed,
        actor=by,
        from_status=routed.status,
        to_status=routed.status,
        code=Code.ASSIGNED if advisor else Code.UNASSIGNED,
        params={"advisor": str(advisor.user)} if advisor else {},
    )
    routed.refresh_from_db()
    need_changed.send(sender=RoutedNeed, routed=routed, change="assigned")
    return routed


@transaction.atomic
def routed_need_answer(*, routed: RoutedNeed, by: User, body: str) -> NeedMessage:
    """The agency writes to the entrepreneur. Answering a new need acknowledges it."""
    if not body.strip():
        raise NeedRefused(_("Write a message first."))
    message = NeedMessage.objects.create(routed=routed, author=by, from_agency=True, body=body)
    if routed.status == Status.NEW:
        # The answer's own email tells the entrepreneur: no second one for the status.
        _move(routed=routed, to=Status.ACKNOWLEDGED, by=by, code=Code.ANSWERED, tell=False)
    notification_record(
        kind=notices.NEED_ANSWERED,
        recipient=routed.need.user,
        subject=routed,
        key=f"need_answered:message:{message.pk}",
    )
    need_changed.send(sender=RoutedNeed, routed=routed, change="message")
    return message


@transaction.atomic
def need_reply(*, routed: RoutedNeed, by: User, body: str) -> NeedMessage:
    """The entrepreneur writes back to the agency."""
    if not body.strip():
        raise NeedRefused(_("Write a message first."))
    message = NeedMessage.objects.create(routed=routed, author=by, from_agency=False, body=body)
    for person in _staff_of(routed.agency):
        notification_record(
            kind=notices.NEED_ANSWERED,
            recipient=person,
            subject=routed,
            key=f"need_answered:message:{message.pk}:user:{person.pk}",
        )
    need_changed.send(sender=RoutedNeed, routed=routed, change="message")
    return message


@transaction.atomic
def need_set_consent(*, need: Need, consent: bool, by: User) -> Need:
    """Withdrawing consent takes the need out of every agency's view at once; giving it
    routes the need (again)."""
    Need.objects.filter(pk=need.pk).update(consent=consent, consent_changed_at=timezone.now())
    if not consent:
        _unshare(RoutedNeed.objects.filter(need=need, shared=True))
    reshared = list(RoutedNeed.objects.filter(need=need, shared=False)) if consent else []
    RoutedNeed.objects.filter(need=need).update(shared=consent)
    for routed in reshared:
        routed.shared = True
        need_changed.send(sender=RoutedNeed, routed=routed, change="shared")
    need.refresh_from_db()
    agency_ids = set(RoutedNeed.objects.filter(need=need).values_list("agency_id", flat=True))
    if consent:
        for agency in Agency.objects.filter(pk__in=agency_ids):
            consent_give(user=need.user, agency=agency, purpose=Consent.Purpose.NEED)
        need_route(need=need, by=by)
    else:
        # The consent record of an agency that holds no other need of theirs ends too.
        still = RoutedNeed.objects.filter(need__user=need.user, shared=True).values_list(
            "agency_id", flat=True
        )
        consent_end_quietly(
            user=need.user, agency_ids=agency_ids - set(still), purpose=Consent.Purpose.NEED
        )
    return need


def _unshare(routings) -> None:
    """Stop sharing these routed needs with their agencies, and say so to the apps
    above (an agency's own system must drop its copy too)."""
    ids = list(routings.values_list("pk", flat=True))
    RoutedNeed.objects.filter(pk__in=ids).update(shared=False)
    if ids:
        need_unshared.send(sender=RoutedNeed, routed_ids=ids)


# Connected to incubators' consent_withdrawn in NeedsConfig.ready.
def need_consent_withdrawn(sender, *, consent: Consent, **kwargs) -> None:
    """The person no longer shares their needs with this agency: it loses them at once.
    A need no other agency holds is withdrawn as on its own page; one also shared with
    other agencies stays with them."""
    if consent.purpose != Consent.Purpose.NEED:
        return
    held = Need.objects.filter(
        user_id=consent.user_id,
        routings__agency_id=consent.agency_id,
        routings__shared=True,
    ).distinct()
    for need in held:
        elsewhere = RoutedNeed.objects.filter(need=need, shared=True).exclude(
            agency_id=consent.agency_id
        )
        if elsewhere.exists():
            _unshare(RoutedNeed.objects.filter(need=need, agency_id=consent.agency_id, shared=True))
        else:
            need_set_consent(need=need, consent=False, by=consent.user)


def routed_need_offer_slots(
    *, routed: RoutedNeed, slots: list[Slot], by: User, message: str = ""
) -> SlotOffer:
    """The agency offers the entrepreneur one to three of its free slots; the
    entrepreneur is told by email, with a one-click booking link for each. Offering
    acknowledges a new need (the offer's email is the only one sent)."""
    if not routed.is_open or not routed.shared:
        raise NeedRefused(_("This need is closed: slots can no longer be offered."))
    pks = {slot.pk for slot in slots}
    if not 1 <= len(pks) <= OFFER_MAX_SLOTS:
        raise NeedRefused(_("Choose one to three free slots."))
    free = set(
        offerable_slots(agency=routed.agency, for_user=routed.need.user)
        .filter(pk__in=pks)
        .values_list("pk", flat=True)
    )
    if free != pks:
        raise NeedRefused(
            _("One of these slots is no longer free, or is not your agency's; choose again.")
        )
    with transaction.atomic():
        offer = SlotOffer.objects.create(routed=routed, message=message.strip(), created_by=by)
        offer.slots.set(pks)
        params = {"count": len(pks)}
        if routed.status == Status.NEW:
            _move(
                routed=routed,
                to=Status.ACKNOWLEDGED,
                by=by,
                code=Code.SLOTS_OFFERED,
                params=params,
                tell=False,
            )
        else:
            RoutedNeedEvent.objects.create(
                routed=routed,
                actor=by,
                from_status=routed.status,
                to_status=routed.status,
                code=Code.SLOTS_OFFERED,
                params=params,
            )
        notification_record(
            kind=notices.SLOTS_OFFERED,
            recipient=routed.need.user,
            subject=offer,
            key=f"{notices.SLOTS_OFFERED}:offer:{offer.pk}",
        )
    return offer


def slot_offer_take(
    *, offer: SlotOffer, slot: Slot, user: User, language: str, topic: str = ""
) -> Booking:
    """The entrepreneur books one of the offered slots, about the need (its category, and
    its description unless they wrote another topic). permanences.services.BookingRefused
    when the slot can no longer be booked ("taken": someone was quicker)."""
    routed = offer.routed
    need = routed.need
    if need.user_id != user.pk:
        raise NeedRefused(_("Only the entrepreneur who declared this need can book from it."))
    if not offer.slots.filter(pk=slot.pk).exists():
        raise NeedRefused(_("This slot is not part of the offer."))
    with transaction.atomic():
        # Claimed first, under the offer row's lock, so a second click or tab books
        # nothing more; what it was taken by is read after the lock, as committed.
        taken = (
            SlotOffer.objects.select_for_update()
            .filter(pk=offer.pk)
            .values_list("taken_booking_id", flat=True)
            .get()
        )
        if (
            taken
            and Booking.objects.filter(pk=taken).exclude(status=Booking.Status.CANCELLED).exists()
        ):
            raise NeedRefused(_("You have already booked one of these slots."))
        booking = booking_create(
            slot_id=slot.pk,
            user=user,
            category=need.category,
            topic=(topic.strip() or need.description)[:1000],
            language=language,
            consent_share_profile=True,
        )
        SlotOffer.objects.filter(pk=offer.pk).update(taken_booking=booking)
        Need.objects.filter(pk=need.pk, booking__isnull=True).update(booking=booking)
        start = timezone.localtime(booking.starts_at)
        RoutedNeedEvent.objects.create(
            routed=routed,
            actor=user,
            from_status=routed.status,
            to_status=routed.status,
            code=Code.OFFER_TAKEN,
            params={"when": f"{start:%d/%m/%Y %H:%M}"},
        )
        if offer.created_by_id:
            notification_record(
                kind=notices.SLOT_OFFER_TAKEN,
                recipient=offer.created_by,
                subject=offer,
                key=f"{notices.SLOT_OFFER_TAKEN}:offer:{offer.pk}:booking:{booking.pk}",
            )
    offer.refresh_from_db()
    return booking


@transaction.atomic
def inbox_counts_rebuild() -> int:
    """Recount every agency's inbox counts from the routed needs. The triggers keep them
    as rows change; this is for when they could not (a table rebuilt without its
    triggers, rows written with triggers off). Returns the number of counter rows."""
    if connection.vendor == "postgresql":
        # Writers wait until the recount commits, so none is counted twice or missed.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE needs_routedneed IN SHARE MODE")
    InboxCount.objects.all().delete()
    totals = (
        RoutedNeed.objects.filter(shared=True)
        .order_by()
        .values("agency_id", "status")
        .annotate(total=Count("pk"))
    )
    return len(InboxCount.objects.bulk_create(InboxCount(**row) for row in totals))
