import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incubators.models import Agency
from incubators.selectors import directory_labels, membership_states
from permanences.models import Booking, PermanenceSchedule, Slot
from permanences.selectors import (
    SlotFilters,
    slot_format,
    slot_length,
    slot_list_upcoming,
    slot_place,
    slot_when,
)

from .models import InboxCount, Need, NeedMessage, RoutedNeed, RoutedNeedEvent, SlotOffer

INBOX_PAGE = 50


@dataclass(frozen=True)
class InboxFilters:
    status: str = "open"  # "open", "all", or one status
    category: str = ""
    incubator: str = ""
    overdue: bool = False
    # Keyset cursor: the page starts after this (created_at, pk), newest first.
    before: tuple[datetime.datetime, int] | None = None


def inbox_base(*, agency: Agency) -> QuerySet[RoutedNeed]:
    """An agency sees its own routed needs, and only those still shared with consent."""
    return RoutedNeed.objects.filter(agency=agency, shared=True)


def inbox_list(
    *, agency: Agency, filters: InboxFilters, now: datetime.datetime | None = None
) -> QuerySet[RoutedNeed]:
    now = now or timezone.now()
    qs = inbox_base(agency=agency)
    if filters.status == "open":
        qs = qs.filter(status__in=RoutedNeed.OPEN_STATUSES)
    elif filters.status in RoutedNeed.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(need__category__slug=filters.category)
    if filters.incubator:
        qs = qs.filter(need__incubator__slug=filters.incubator)
    if filters.overdue:
        qs = qs.overdue(now)
    if filters.before:
        created_at, pk = filters.before
        qs = qs.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    return qs.order_by("-created_at", "-pk")


INBOX_ROW_FIELDS = (
    "pk",
    "created_at",
    "status",
    "ack_due_at",
    "need__urgency",
    "need__category_id",
    "need__incubator_id",
    "need__user__first_name",
    "need__user__last_name",
    "need__user__email",
    "need__company__name",
    "assigned_to__user__first_name",
    "assigned_to__user__last_name",
)


def inbox_rows(
    *, agency: Agency, filters: InboxFilters, limit: int, now: datetime.datetime | None = None
) -> list[dict]:
    """A page of the inbox as plain rows with their labels worked out: the inbox can hold
    thousands of needs, and rows cost far less than seven model instances each."""
    now = now or timezone.now()
    labels = directory_labels()
    page = inbox_list(agency=agency, filters=filters, now=now).values(*INBOX_ROW_FIELDS)
    rows = list(page[:limit])
    statuses = {status: str(label) for status, label in RoutedNeed.Status.choices}
    high = Need.Urgency.HIGH
    for row in rows:
        full_name = f"{row['need__user__first_name']} {row['need__user__last_name']}".strip()
        row["person"] = full_name or row["need__user__email"]
        row["company"] = row["need__company__name"] or ""
        row["category"] = labels["categories"].get(row["need__category_id"], "")
        row["place"] = labels["incubators"].get(row["need__incubator_id"], "—")
        row["status_label"] = statuses[row["status"]]
        row["status_badge"] = RoutedNeed.BADGES.get(row["status"], "text-bg-secondary")
        row["overdue"] = RoutedNeed.is_overdue_at(
            status=row["status"], ack_due_at=row["ack_due_at"], now=now
        )
        row["urgent"] = row["need__urgency"] == high
        first, last = row["assigned_to__user__first_name"], row["assigned_to__user__last_name"]
        row["assigned"] = f"{first or ''} {last or ''}".strip() or "—"
        row["received"] = timezone.localtime(row["created_at"])
    return rows


def inbox_cursor(row: dict) -> str:
    return f"{row['created_at'].timestamp():.6f}_{row['pk']}"


def inbox_cursor_parse(value: str) -> tuple[datetime.datetime, int] | None:
    try:
        stamp, pk = value.split("_")
        return datetime.datetime.fromtimestamp(float(stamp), tz=datetime.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def inbox_counts(*, agency: Agency, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many routed needs the agency has in each state, "open" and "overdue": the
    statuses from the counters the triggers keep (see InboxCount), "overdue", which
    changes with the time, counted from an index of the shared needs still new."""
    now = now or timezone.now()
    totals = dict(InboxCount.objects.filter(agency=agency).values_list("status", "total"))
    counts = {status: totals.get(status, 0) for status in RoutedNeed.Status.values}
    counts["open"] = sum(counts[status] for status in RoutedNeed.OPEN_STATUSES)
    counts["overdue"] = inbox_base(agency=agency).overdue(now).count()
    return counts


# What a routed need is shown with, in the inbox and through the API.
ROUTED_NEED_RELATED = (
    "need__user",
    "need__company",
    "need__incubator",
    "need__category",
    "assigned_to__user",
)


def inbox_item(*, agency: Agency, pk: int) -> RoutedNeed:
    """One routed need of the agency, with all the page shows; RoutedNeed.DoesNotExist
    (a 404) for another agency's need or one no longer shared."""
    routed = (
        inbox_base(agency=agency)
        .select_related(*ROUTED_NEED_RELATED)
        .prefetch_related(
            Prefetch("events", queryset=RoutedNeedEvent.objects.select_related("actor")),
            Prefetch("messages", queryset=NeedMessage.objects.select_related("author")),
        )
        .get(pk=pk)
    )
    routed.agency = agency  # the one it was filtered by
    return routed


def entrepreneur_history(*, routed: RoutedNeed) -> dict:
    """What the agency may see of the entrepreneur's past with it: their other needs it
    received (still shared) and their bookings of its permanences, as plain rows (the
    names from the cached directory labels)."""
    user_id = routed.need.user_id
    labels = directory_labels()
    earlier = list(
        inbox_base(agency=routed.agency)
        .filter(need__user_id=user_id)
        .exclude(pk=routed.pk)
        .order_by("-created_at")
        .values("pk", "created_at", "status", "need__category_id")[:20]
    )
    statuses = dict(RoutedNeed.Status.choices)
    for row in earlier:
        row["category"] = labels["categories"].get(row["need__category_id"], "")
        row["status_label"] = str(statuses.get(row["status"], row["status"]))
    bookings = list(
        Booking.objects.filter(user_id=user_id, slot__agency_id=routed.agency_id)
        .order_by("-starts_at")
        .values("starts_at", "status", "slot__incubator_id")[:20]
    )
    booking_statuses = dict(Booking.Status.choices)
    for row in bookings:
        row["place"] = labels["incubators"].get(row["slot__incubator_id"], "")
        row["status_label"] = str(booking_statuses.get(row["status"], row["status"]))
    return {"earlier_needs": earlier, "bookings": bookings}


def needs_for_user(*, user) -> QuerySet[Need]:
    routings = RoutedNeed.objects.select_related("agency").prefetch_related(
        Prefetch("messages", queryset=NeedMessage.objects.select_related("author"))
    )
    return (
        Need.objects.filter(user=user)
        .select_related("category", "company", "incubator")
        .prefetch_related(Prefetch("routings", queryset=routings))
        .order_by("-created_at")
    )


# What an advisor may offer from a need: their agency's free slots of the next four weeks.
OFFER_DAYS = 28
OFFER_CHOICES = 60
OFFER_MAX_SLOTS = 3


def offerable_slots(
    *, agency: Agency, for_user=None, now: datetime.datetime | None = None
) -> QuerySet[Slot]:
    """Without the members-only slots of incubators `for_user` is no member of: they
    could not book them."""
    now = now or timezone.now()
    last_day = timezone.localdate(now) + datetime.timedelta(days=OFFER_DAYS - 1)
    qs = slot_list_upcoming(filters=SlotFilters(agency=agency.slug, date_to=last_day), now=now)
    if for_user is not None:
        member_of = [
            i for i, state in membership_states(user=for_user).items() if state == "member"
        ]
        qs = qs.exclude(
            Q(schedule__audience=PermanenceSchedule.Audience.MEMBERS)
            & ~Q(incubator_id__in=member_of)
        )
    return qs


def offer_choices(*, slots: QuerySet[Slot]) -> list[tuple[int, str]]:
    """The first OFFER_CHOICES of `slots` as (pk, label), labelled as SlotChoiceField
    labels a slot ("Friday 4 December 2026, 09:00–09:30 · Place · 30 min · one-to-one"),
    from plain values in one query, each day and length translated once per page."""
    rows = slots.select_related(None).values(
        "pk", "starts_at", "ends_at", "capacity", "booked_count", "incubator_id", "schedule__mode"
    )[:OFFER_CHOICES]
    places = directory_labels()["incubators"]
    online = _("online")
    days: dict[datetime.date, str] = {}
    lengths: dict[int, str] = {}
    choices = []
    for row in rows:
        start, end = timezone.localtime(row["starts_at"]), timezone.localtime(row["ends_at"])
        day = start.date()
        if day not in days:
            days[day] = capfirst(date_format(day, "l j F Y"))
        minutes = int((end - start).total_seconds() // 60)
        if minutes not in lengths:
            lengths[minutes] = _("%(minutes)d min") % {"minutes": minutes}
        if row["capacity"] == 1:
            kind = _("one-to-one")
        else:
            left = max(row["capacity"] - row["booked_count"], 0)
            kind = ngettext(
                "group session, %(count)d place left", "group session, %(count)d places left", left
            ) % {"count": left}
        place = (
            online
            if row["schedule__mode"] == PermanenceSchedule.Mode.ONLINE
            else places.get(row["incubator_id"], "")
        )
        when = f"{days[day]}, {start:%H:%M}–{end:%H:%M}"
        choices.append((row["pk"], " · ".join([when, place, lengths[minutes], kind])))
    return choices


def slot_is_bookable(slot: Slot, now: datetime.datetime) -> bool:
    """Free and open for booking now (booking_create checks it again, under its lock)."""
    return (
        slot.status == Slot.Status.OPEN
        and slot.schedule.is_active
        and slot.bookable_from <= now <= slot.bookable_until
        and slot.booked_count < slot.capacity
    )


def slot_offer_rows(*, offer: SlotOffer, now: datetime.datetime) -> list[dict]:
    """Each offered slot as the pages and the email show it, with its state: "booked"
    (the one taken), "not_needed" (another one was taken), "unavailable" (full, past or
    cancelled meanwhile) or "open"."""
    taken = offer.taken_booking if offer.is_taken else None
    rows = []
    for slot in offer.slots.all():
        if taken is not None:
            state = "booked" if taken.slot_id == slot.pk else "not_needed"
        elif slot_is_bookable(slot, now):
            state = "open"
        else:
            state = "unavailable"
        rows.append(
            {
                "slot": slot,
                "when": slot_when(slot),
                "place": slot_place(slot),
                "length": slot_length(slot),
                "format": slot_format(slot),
                "state": state,
            }
        )
    return rows


def slot_offers(*, routed_ids: list[int]) -> QuerySet[SlotOffer]:
    # What slot_offer_rows reads of each slot: its schedule and incubator.
    slots = Slot.objects.select_related("incubator", "schedule").order_by("starts_at", "pk")
    return (
        SlotOffer.objects.filter(routed_id__in=routed_ids)
        .select_related("taken_booking", "created_by")
        .prefetch_related(Prefetch("slots", queryset=slots))
    )


def offers_by_routing(*, routings: list[RoutedNeed], now: datetime.datetime | None = None) -> None:
    """Puts on each routed need its offers (newest first), each with its `rows`."""
    now = now or timezone.now()
    offers = list(slot_offers(routed_ids=[r.pk for r in routings]))
    for offer in offers:
        offer.rows = slot_offer_rows(offer=offer, now=now)
    for routed in routings:
        routed.slot_offers = [o for o in offers if o.routed_id == routed.pk]
