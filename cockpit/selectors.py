"""Supply against demand, per incubator × agency × month: the permanences offered and
what became of them, the needs routed there and what entrepreneurs said of them.

Four grouped queries (slots, bookings, routed needs, the surveys' daily counters),
whatever the number of rows they count; the names come from the directory's cached
labels. Months are Brussels months.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth

from common.dates import BRUSSELS, days_bounds
from needs.models import RoutedNeed
from permanences.models import Booking, Slot
from surveys.models import DailyResult, Survey
from surveys.selectors import MIN_GROUP

# A cancellation by the entrepreneur less than this before the meeting counts as late.
LATE_CANCEL = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Filters:
    since: datetime.date
    until: datetime.date
    agency: int | None = None
    incubator: int | None = None


@dataclass
class Row:
    """One incubator × agency × month (or a total over several)."""

    incubator_id: int | None
    agency_id: int | None
    month: datetime.date | None
    incubator: str = ""
    agency: str = ""
    slots: int = 0
    minutes: int = 0
    places: int = 0
    taken: int = 0
    bookings: int = 0
    attended: int = 0
    no_shows: int = 0
    cancelled_late: int = 0
    lead_days_sum: float = 0.0
    lead_days_count: int = 0
    needs: int = 0
    responses: int = 0
    satisfaction_sum: float = 0.0
    satisfaction_count: int = 0
    months: set = field(default_factory=set)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def occupancy(self) -> int | None:
        """Places taken out of places offered, in %."""
        return round(100 * self.taken / self.places) if self.places else None

    @property
    def no_show_rate(self) -> int | None:
        marked = self.attended + self.no_shows
        return round(100 * self.no_shows / marked) if marked else None

    @property
    def lead_days(self) -> float | None:
        """How many days ahead, on average, its places were booked."""
        if not self.lead_days_count:
            return None
        return round(self.lead_days_sum / self.lead_days_count, 1)

    @property
    def hidden(self) -> bool:
        """Too few responses to show their satisfaction without revealing anyone's."""
        return self.responses < MIN_GROUP

    @property
    def satisfaction(self) -> float | None:
        if self.hidden or not self.satisfaction_count:
            return None
        return round(self.satisfaction_sum / self.satisfaction_count, 2)

    def add(self, other: "Row") -> None:
        for name in (
            "slots",
            "minutes",
            "places",
            "taken",
            "bookings",
            "attended",
            "no_shows",
            "cancelled_late",
            "lead_days_sum",
            "lead_days_count",
            "needs",
            "responses",
            "satisfaction_sum",
            "satisfaction_count",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.month:
            self.months.add(other.month)


def _month(value) -> datetime.date:
    """TruncMonth's value as the first day of the month (a date on every database)."""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(BRUSSELS) if value.tzinfo else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _scoped(q: Q, filters: Filters, *, incubator: str, agency: str) -> Q:
    if filters.incubator:
        q &= Q(**{incubator: filters.incubator})
    if filters.agency:
        q &= Q(**{agency: filters.agency})
    return q


def supply_and_demand(*, filters: Filters, labels: dict) -> tuple[Row, list[Row]]:
    """The total and one row per incubator × agency × month that had anything, sorted by
    month, incubator, agency."""
    start, end = days_bounds(filters.since, filters.until)
    rows: dict[tuple, Row] = {}

    def row(incubator_id, agency_id, month) -> Row:
        key = (incubator_id, agency_id, _month(month))
        if key not in rows:
            rows[key] = Row(incubator_id=incubator_id, agency_id=agency_id, month=key[2])
        return rows[key]

    month = TruncMonth("starts_at", tzinfo=BRUSSELS)
    slots = (
        Slot.objects.filter(
            _scoped(
                Q(starts_at__gte=start, starts_at__lt=end) & ~Q(status=Slot.Status.CANCELLED),
                filters,
                incubator="incubator_id",
                agency="agency_id",
            )
        )
        .annotate(month=month)
        .values("incubator_id", "agency_id", "month")
        .order_by()
        .annotate(
            slots=Count("pk"),
            length=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), DurationField())),
            places=Sum("capacity"),
            taken=Sum("booked_count"),
        )
    )
    for item in slots:
        r = row(item["incubator_id"], item["agency_id"], item["month"])
        r.slots, r.places, r.taken = item["slots"], item["places"] or 0, item["taken"] or 0
        r.minutes = int((item["length"] or datetime.timedelta()).total_seconds() // 60)

    held = Q(status__in=Booking.ACTIVE_STATUSES)  # confirmed, attended or no-show
    moved = Exists(Booking.objects.filter(rescheduled_from=OuterRef("pk")))
    late = Q(
        status=Booking.Status.CANCELLED,
        cancelled_by=F("user"),
        cancelled_at__gte=F("starts_at") - LATE_CANCEL,
        moved=False,
    )
    bookings = (
        Booking.objects.filter(
            _scoped(
                Q(starts_at__gte=start, starts_at__lt=end),
                filters,
                incubator="slot__incubator_id",
                agency="slot__agency_id",
            )
        )
        .annotate(month=month, moved=moved)
        .values("slot__incubator_id", "slot__agency_id", "month")
        .order_by()
        .annotate(
            held=Count("pk", filter=held),
            attended=Count("pk", filter=Q(status=Booking.Status.ATTENDED)),
            no_shows=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
            late=Count("pk", filter=late),
            ahead=Avg(
                ExpressionWrapper(F("starts_at") - F("created_at"), DurationField()),
                filter=held,
            ),
        )
    )
    for item in bookings:
        r = row(item["slot__incubator_id"], item["slot__agency_id"], item["month"])
        r.bookings, r.attended, r.no_shows = item["held"], item["attended"], item["no_shows"]
        r.cancelled_late = item["late"]
        if item["ahead"] is not None and item["held"]:
            ahead = item["ahead"]
            days = (
                ahead.total_seconds() / 86400
                if isinstance(ahead, datetime.timedelta)
                else (
                    float(ahead) / 86400e6  # microseconds, where the database averages numbers
                )
            )
            r.lead_days_sum, r.lead_days_count = days * item["held"], item["held"]

    needs = (
        RoutedNeed.objects.filter(
            _scoped(
                Q(created_at__gte=start, created_at__lt=end, need__incubator__isnull=False),
                filters,
                incubator="need__incubator_id",
                agency="agency_id",
            )
        )
        .annotate(month=TruncMonth("created_at", tzinfo=BRUSSELS))
        .values("need__incubator_id", "agency_id", "month")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for item in needs:
        row(item["need__incubator_id"], item["agency_id"], item["month"]).needs = item["n"]

    results = (
        DailyResult.objects.filter(
            _scoped(
                Q(day__gte=filters.since, day__lte=filters.until, agency_key__gt=0)
                & Q(incubator_key__gt=0)
                & ~Q(survey__kind=Survey.Kind.AFTER_EVENT),
                filters,
                incubator="incubator_key",
                agency="agency_key",
            )
        )
        .annotate(month=TruncMonth("day"))
        .values("incubator_key", "agency_key", "month")
        .order_by()
        .annotate(
            responses=Sum("responses"),
            satisfaction_sum=Sum("satisfaction_sum"),
            satisfaction_count=Sum("satisfaction_count"),
        )
    )
    for item in results:
        if not item["responses"]:
            continue
        r = row(item["incubator_key"], item["agency_key"], item["month"])
        r.responses = item["responses"]
        r.satisfaction_sum = item["satisfaction_sum"] or 0.0
        r.satisfaction_count = item["satisfaction_count"] or 0

    total = Row(incubator_id=None, agency_id=None, month=None)
    for r in rows.values():
        r.incubator = labels["incubators"].get(r.incubator_id, "—")
        r.agency = labels["agencies"].get(r.agency_id, ("—", ""))[0]
        total.add(r)
    ordered = sorted(rows.values(), key=lambda r: (r.month, r.incubator, r.agency))
    return total, ordered


def by_month(rows: list[Row]) -> list[Row]:
    """The rows added up per month (the chart's points)."""
    months: dict[datetime.date, Row] = {}
    for r in rows:
        months.setdefault(r.month, Row(incubator_id=None, agency_id=None, month=r.month)).add(r)
    return [months[m] for m in sorted(months)]
