import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from incubators.models import Advisor, Language, Service

from .models import Booking, PermanenceSchedule, Slot

SLOT_LIST_DAYS = 14
SLOT_LIST_PAGE = 50


@dataclass(frozen=True)
class SlotFilters:
    incubator: str = ""
    agency: str = ""
    category: str = ""
    language: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # Keyset cursor: the page starts after this (starts_at, pk).
    after: tuple[datetime.datetime, int] | None = None


def slot_list_upcoming(
    *, filters: SlotFilters, now: datetime.datetime | None = None
) -> QuerySet[Slot]:
    """Free slots that can be booked now, soonest first. A constant number of queries:
    the filters are joins or EXISTS subqueries, the related rows come in one prefetch."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    date_from = max(filters.date_from or today, today)
    date_to = filters.date_to or date_from + datetime.timedelta(days=SLOT_LIST_DAYS - 1)
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    qs = Slot.objects.filter(
        status=Slot.Status.OPEN,
        bookable_until__gte=now,
        bookable_from__lte=now,
        starts_at__gte=start,
        starts_at__lt=end,
        schedule__is_active=True,
    ).exclude(booked_count__gte=F("capacity"))
    if filters.incubator:
        qs = qs.filter(incubator__slug=filters.incubator)
    if filters.agency:
        qs = qs.filter(agency__slug=filters.agency)
    if filters.category:
        qs = qs.filter(
            Exists(
                Service.objects.filter(
                    agency=OuterRef("agency"), is_active=True, categories__slug=filters.category
                )
            )
        )
    if filters.language:
        qs = qs.filter(
            Exists(
                PermanenceSchedule.languages.through.objects.filter(
                    permanenceschedule_id=OuterRef("schedule_id"), language_id=filters.language
                )
            )
        )
    if filters.after:
        after_time, after_pk = filters.after
        qs = qs.filter(Q(starts_at__gt=after_time) | Q(starts_at=after_time, pk__gt=after_pk))
    return (
        qs.select_related("agency", "incubator", "schedule")
        .prefetch_related(Prefetch("schedule__languages", queryset=Language.objects.all()))
        .order_by("starts_at", "pk")[: SLOT_LIST_PAGE + 1]
    )


def slot_cursor(slot: Slot) -> str:
    return f"{int(slot.starts_at.timestamp())}-{slot.pk}"


def slot_cursor_parse(value: str) -> tuple[datetime.datetime, int] | None:
    try:
        stamp, pk = value.split("-")
        return datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def group_by_day(slots) -> "OrderedDict[datetime.date, list[Slot]]":
    days: OrderedDict[datetime.date, list[Slot]] = OrderedDict()
    for slot in slots:
        days.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    return days


def bookings_for_user(*, user) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(user=user)
        .select_related("slot__agency", "slot__incubator", "slot__schedule", "category")
        .order_by("-starts_at")
    )


def advisor_slots(
    *, advisor: Advisor, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Slot]:
    """The advisor's agency's slots they hold: schedules naming them, or naming no one."""
    holds = Q(schedule__advisors=advisor) | ~Exists(
        PermanenceSchedule.advisors.through.objects.filter(
            permanenceschedule_id=OuterRef("schedule_id")
        )
    )
    bookings = Booking.objects.select_related("user", "company", "category").order_by("created_at")
    return (
        Slot.objects.filter(holds, agency=advisor.agency, starts_at__gte=start, starts_at__lt=end)
        .select_related("incubator", "schedule")
        .prefetch_related(Prefetch("bookings", queryset=bookings))
        .distinct()
        .order_by("starts_at")
    )


def schedules_at_incubator(*, incubator) -> QuerySet[PermanenceSchedule]:
    today = timezone.localdate()
    return (
        PermanenceSchedule.objects.filter(incubator=incubator, is_active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("agency")
        .prefetch_related("languages")
        .order_by("weekday", "start_time")
    )
