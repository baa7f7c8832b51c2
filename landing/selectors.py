"""Reads of the landing app: who helps with what (public page), a plan's agencies and
itinerary candidates, and the coordinator's overview with what is stuck."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from common.dates import days_bounds
from incubators.models import Agency, Membership, NeedCategory, Service
from needs.models import Need, RoutedNeed
from needs.services import agencies_for
from permanences.models import Booking, PermanenceSchedule, Slot

from .itinerary import Candidate
from .models import ItineraryItem, LandingNeed, LandingPlan, LandingStep, Relay
from .steps import CATEGORY_OF, GUIDANCE

# How many weeks ahead the itinerary page offers.
ITINERARY_WEEKS = 8
# A plan with no itinerary booked this many days before the arrival is stuck.
ITINERARY_DUE_DAYS = 14
# A plan not moved for this many days (no step ticked, nothing booked) is stuck.
IDLE_DAYS = 14


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weeks_offered(*, today: datetime.date) -> list[datetime.date]:
    first = monday_of(today)
    return [first + datetime.timedelta(weeks=n) for n in range(ITINERARY_WEEKS)]


def category_of(code: str) -> NeedCategory | None:
    """The category a need is routed under; the "landing" category if that one is gone."""
    categories = {c.slug: c for c in NeedCategory.objects.filter(is_active=True)}
    return categories.get(CATEGORY_OF[code]) or categories.get("landing")


@dataclass
class HelpRow:
    code: str
    label: str
    guidance: str
    agencies: list[Agency]
    services: list[Service]


def who_helps() -> list[HelpRow]:
    """For each need of a founder abroad, the agencies the routing rules send it to and
    their services answering it: what the public page and the plan show."""
    categories = {c.slug: c for c in NeedCategory.objects.filter(is_active=True)}
    services = list(
        Service.objects.filter(is_active=True, agency__is_active=True)
        .select_related("agency")
        .prefetch_related("categories")
    )
    rows = []
    for code, label in LandingNeed.choices:
        category = categories.get(CATEGORY_OF[code]) or categories.get("landing")
        if category is None:
            continue
        agencies = sorted(
            agencies_for(need=Need(category=category)), key=lambda a: (a.order, a.short_name)
        )
        ids = {a.pk for a in agencies}
        rows.append(
            HelpRow(
                code=code,
                label=str(label),
                guidance=str(GUIDANCE[code]),
                agencies=agencies,
                services=[
                    s
                    for s in services
                    if s.agency_id in ids and any(c.pk == category.pk for c in s.categories.all())
                ],
            )
        )
    return rows


def relays_public() -> dict[str, list[Relay]]:
    relays = Relay.objects.filter(is_active=True)
    return {
        "eu_relays": [r for r in relays if r.kind == Relay.Kind.EU_RELAY],
        "partner_regions": [r for r in relays if r.kind == Relay.Kind.PARTNER_REGION],
    }


def plan_of(*, user) -> LandingPlan | None:
    if not user.is_authenticated:
        return None
    return (
        LandingPlan.objects.filter(user=user)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=LandingStep.objects.select_related("category", "need").prefetch_related(
                    "agencies", "need__routings__agency"
                ),
            )
        )
        .first()
    )


def plan_agencies(*, plan: LandingPlan) -> list[Agency]:
    """The agencies that help with at least one step, in the directory's order."""
    return list(
        Agency.objects.filter(
            is_active=True,
            pk__in=LandingStep.agencies.through.objects.filter(landingstep__plan=plan).values(
                "agency_id"
            ),
        ).order_by("order", "short_name")
    )


def agencies_to_meet(*, plan: LandingPlan, now: datetime.datetime | None = None) -> list[Agency]:
    """The plan's agencies without a meeting of an itinerary still to come."""
    now = now or timezone.now()
    met = set(
        ItineraryItem.objects.filter(
            itinerary__plan=plan,
            booking__status=Booking.Status.CONFIRMED,
            booking__ends_at__gt=now,
        ).values_list("agency_id", flat=True)
    )
    return [a for a in plan_agencies(plan=plan) if a.pk not in met]


def itinerary_items(*, plan: LandingPlan, active_only: bool = True) -> QuerySet[ItineraryItem]:
    items = ItineraryItem.objects.filter(itinerary__plan=plan).select_related(
        "agency", "booking__slot__incubator", "booking__slot__schedule"
    )
    if active_only:
        items = items.filter(booking__status__in=Booking.ACTIVE_STATUSES)
    return items.order_by("booking__starts_at")


def _language_for(offered: list[str], preferred: str) -> str:
    for code in (preferred, "en"):
        if code in offered:
            return code
    return offered[0] if offered else ""


def itinerary_candidates(
    *,
    plan: LandingPlan,
    weeks: list[datetime.date],
    now: datetime.datetime | None = None,
    agencies: list[Agency] | None = None,
) -> dict[datetime.date, dict[int, list[Candidate]]]:
    """For each week (its Monday) and each agency of the plan, the slots the founder can
    book: open, free, bookable now, open to them (every registered entrepreneur, or an
    incubator they are a member of), not overlapping a booking they hold, within their
    cap of bookings with the agency, and online on the days before their arrival. One
    query for the slots of all the weeks."""
    now = now or timezone.now()
    if agencies is None:
        agencies = plan_agencies(plan=plan)
    result: dict[datetime.date, dict[int, list[Candidate]]] = {
        week: {a.pk: [] for a in agencies} for week in weeks
    }
    if not weeks or not agencies:
        return result
    user = plan.user
    start, end = days_bounds(min(weeks), max(weeks) + datetime.timedelta(days=6))
    member_of = set(
        Membership.objects.current()
        .filter(company__people=user)
        .values_list("incubator_id", flat=True)
    )
    mine = list(
        Booking.objects.filter(
            user=user, status=Booking.Status.CONFIRMED, ends_at__gt=now
        ).values_list("starts_at", "ends_at", "slot__agency_id")
    )
    held: dict[int, int] = {}
    for _start, _end, agency_id in mine:
        held[agency_id] = held.get(agency_id, 0) + 1
    slots = (
        Slot.objects.filter(
            agency__in=agencies,
            status=Slot.Status.OPEN,
            schedule__is_active=True,
            starts_at__gte=max(start, now),
            starts_at__lt=end,
            bookable_from__lte=now,
            bookable_until__gte=now,
            booked_count__lt=F("capacity"),
        )
        .filter(
            Q(schedule__audience=PermanenceSchedule.Audience.REGISTERED)
            | Q(incubator_id__in=member_of)
        )
        .select_related("schedule", "incubator", "agency")
        .prefetch_related("schedule__languages")
        .order_by("starts_at", "pk")
    )
    for slot in slots:
        schedule = slot.schedule
        online = schedule.mode == PermanenceSchedule.Mode.ONLINE
        if not online and timezone.localdate(slot.starts_at) < plan.arrival_date:
            continue  # still abroad
        if held.get(slot.agency_id, 0) >= schedule.max_active_bookings:
            continue
        if any(s < slot.ends_at and e > slot.starts_at for s, e, _a in mine):
            continue
        language = _language_for([lang.code for lang in schedule.languages.all()], user.language)
        if not language:
            continue
        week = monday_of(timezone.localdate(slot.starts_at))
        if week not in result:
            continue
        incubator = slot.incubator
        result[week][slot.agency_id].append(
            Candidate(
                slot_id=slot.pk,
                agency_id=slot.agency_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                online=online,
                incubator_id=slot.incubator_id,
                latitude=float(incubator.latitude) if incubator.latitude is not None else None,
                longitude=float(incubator.longitude) if incubator.longitude is not None else None,
                place=incubator.name,
                agency=slot.agency.short_name,
                language=language,
            )
        )
    return result


def held_meetings(*, user, week: datetime.date) -> list[Candidate]:
    """The founder's confirmed bookings of the week, as fixed points of an itinerary."""
    start, end = days_bounds(week, week + datetime.timedelta(days=6))
    bookings = Booking.objects.filter(
        user=user, status=Booking.Status.CONFIRMED, starts_at__gte=start, starts_at__lt=end
    ).select_related("slot__schedule", "slot__incubator", "slot__agency")
    return [
        Candidate(
            slot_id=b.slot_id,
            agency_id=b.slot.agency_id,
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            online=b.slot.schedule.mode == PermanenceSchedule.Mode.ONLINE,
            incubator_id=b.slot.incubator_id,
            latitude=float(b.slot.incubator.latitude)
            if b.slot.incubator.latitude is not None
            else None,
            longitude=float(b.slot.incubator.longitude)
            if b.slot.incubator.longitude is not None
            else None,
            place=b.slot.incubator.name,
            agency=b.slot.agency.short_name,
        )
        for b in bookings
    ]


# --- The coordinator's overview -----------------------------------------------------


@dataclass(frozen=True)
class OverviewFilters:
    q: str = ""
    country: str = ""
    stuck: str = ""  # "", "any", "need", "itinerary", "idle"
    arrival: str = ""  # "", "soon" (within 30 days), "past", "later"


STUCK_REASONS = ("need", "itinerary", "idle")


def landing_overview(
    *, filters: OverviewFilters, now: datetime.datetime | None = None
) -> QuerySet[LandingPlan]:
    """Every plan with its progress and what is stuck, as annotations: steps_total,
    steps_done, booked (an itinerary meeting still active), next_meeting, and the three
    stuck flags: a routed need of a step not done left unacknowledged past the agency's
    time (stuck_need), no itinerary ITINERARY_DUE_DAYS before the arrival
    (stuck_itinerary), nothing moved for IDLE_DAYS (stuck_idle)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    active_items = ItineraryItem.objects.filter(
        itinerary__plan=OuterRef("pk"), booking__status__in=Booking.ACTIVE_STATUSES
    )
    overdue = RoutedNeed.objects.filter(
        RoutedNeed.overdue_q(now),
        shared=True,
        need__landing_step__plan=OuterRef("pk"),
        need__landing_step__done_at__isnull=True,
    )
    qs = LandingPlan.objects.select_related("user").annotate(
        steps_total=Count("steps", distinct=True),
        steps_done=Count("steps", filter=Q(steps__done_at__isnull=False), distinct=True),
        booked=Exists(active_items),
        stuck_need=Exists(overdue),
    )
    not_finished = Q(steps_done__lt=F("steps_total"))
    stuck_itinerary = (
        Q(booked=False, arrival_date__lte=today + datetime.timedelta(days=ITINERARY_DUE_DAYS))
        & not_finished
    )
    stuck_idle = Q(last_progress_at__lt=now - datetime.timedelta(days=IDLE_DAYS)) & not_finished

    def flag(condition: Q) -> Case:
        return Case(
            When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
        )

    qs = qs.annotate(stuck_itinerary=flag(stuck_itinerary), stuck_idle=flag(stuck_idle))
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(company_name__icontains=q)
            | Q(user__email__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(city__icontains=q)
        )
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.arrival == "soon":
        qs = qs.filter(arrival_date__gte=today, arrival_date__lte=today + datetime.timedelta(30))
    elif filters.arrival == "later":
        qs = qs.filter(arrival_date__gt=today + datetime.timedelta(30))
    elif filters.arrival == "past":
        qs = qs.filter(arrival_date__lt=today)
    if filters.stuck == "need":
        qs = qs.filter(stuck_need=True)
    elif filters.stuck == "itinerary":
        qs = qs.filter(stuck_itinerary)
    elif filters.stuck == "idle":
        qs = qs.filter(stuck_idle)
    elif filters.stuck == "any":
        qs = qs.filter(Q(stuck_need=True) | stuck_itinerary | stuck_idle)
    return qs.order_by("arrival_date", "pk")
