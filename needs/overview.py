"""Reads for the coordinator's overview: members per incubator, needs by category ×
incubator, and routing health per agency.

Every function runs a fixed number of queries whatever the amount of data: counts are
aggregated in the database; only the medians need rows in Python (see routing_health)."""

import datetime
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.dates import day_start, days_bounds
from incubators.models import Agency, Company, Incubator, Membership, NeedCategory

from .models import Need, RoutedNeed

Status = RoutedNeed.Status


@dataclass(frozen=True)
class Period:
    """Creation dates from `since` to `until`, both included; None leaves a side open."""

    since: datetime.date | None = None
    until: datetime.date | None = None

    def lookups(self, prefix: str = "created_at") -> Q:
        q = Q()
        if self.since:
            q &= Q(**{f"{prefix}__gte": day_start(self.since)})
        if self.until:
            q &= Q(**{f"{prefix}__lt": days_bounds(self.until)[1]})
        return q


# --- Members per incubator -------------------------------------------------------------


@dataclass
class IncubatorMembers:
    incubator: Incubator
    total: int
    by_sector: list[int]  # in the order of MembersOverview.sectors
    by_stage: list[int]  # in the order of MembersOverview.stages


@dataclass
class MembersOverview:
    sectors: list[tuple[str, str]]
    stages: list[tuple[str, str]]
    rows: list[IncubatorMembers]
    total: int = 0
    total_by_sector: list[int] = field(default_factory=list)
    total_by_stage: list[int] = field(default_factory=list)

    def used_sector_indexes(self) -> list[int]:
        return [i for i, count in enumerate(self.total_by_sector) if count]


def members_by_incubator(*, today: datetime.date | None = None) -> MembersOverview:
    """Per active incubator, its confirmed current member companies and their split by
    sector and stage. Two queries."""
    today = today or timezone.localdate()
    incubators = list(Incubator.objects.filter(is_active=True).order_by("name"))
    # A company has one sector and one stage, so the distinct counts per (incubator,
    # sector, stage) add up to the distinct count per incubator.
    groups = (
        Membership.objects.current(on=today)
        .filter(incubator__is_active=True)
        .values("incubator_id", "company__sector", "company__stage")
        .annotate(companies=Count("company_id", distinct=True))
        .order_by()
    )
    sectors = list(Company.Sector.choices)
    stages = list(Company.Stage.choices)
    sector_index = {code: i for i, (code, _label) in enumerate(sectors)}
    stage_index = {code: i for i, (code, _label) in enumerate(stages)}
    by_sector: dict[int, list[int]] = defaultdict(lambda: [0] * len(sectors))
    by_stage: dict[int, list[int]] = defaultdict(lambda: [0] * len(stages))
    for group in groups:
        incubator_id, count = group["incubator_id"], group["companies"]
        if group["company__sector"] in sector_index:
            by_sector[incubator_id][sector_index[group["company__sector"]]] += count
        if group["company__stage"] in stage_index:
            by_stage[incubator_id][stage_index[group["company__stage"]]] += count
    rows = [
        IncubatorMembers(
            incubator=incubator,
            total=sum(by_stage[incubator.pk]),
            by_sector=by_sector[incubator.pk],
            by_stage=by_stage[incubator.pk],
        )
        for incubator in incubators
    ]
    return MembersOverview(
        sectors=sectors,
        stages=stages,
        rows=rows,
        total=sum(row.total for row in rows),
        total_by_sector=[sum(r.by_sector[i] for r in rows) for i in range(len(sectors))],
        total_by_stage=[sum(r.by_stage[i] for r in rows) for i in range(len(stages))],
    )


# --- Needs by category × incubator -----------------------------------------------------


@dataclass
class MatrixRow:
    category: NeedCategory
    counts: list[int]  # in the order of NeedsMatrix.incubators, then "no incubator"
    total: int


@dataclass
class NeedsMatrix:
    incubators: list[Incubator]
    rows: list[MatrixRow]
    column_totals: list[int]
    total: int


def needs_matrix(*, period: Period = Period()) -> NeedsMatrix:
    """How many needs were declared per category and incubator, with a column for needs
    of entrepreneurs without an incubator. Three queries."""
    counts = {
        (group["category_id"], group["incubator_id"]): group["needs"]
        for group in Need.objects.filter(period.lookups())
        .values("category_id", "incubator_id")
        .annotate(needs=Count("pk"))
        .order_by()
    }
    category_ids = {category_id for category_id, _incubator_id in counts}
    incubator_ids = {incubator_id for _category_id, incubator_id in counts if incubator_id}
    categories = NeedCategory.objects.filter(Q(is_active=True) | Q(pk__in=category_ids))
    incubators = list(
        Incubator.objects.filter(Q(is_active=True) | Q(pk__in=incubator_ids)).order_by("name")
    )
    columns = [incubator.pk for incubator in incubators] + [None]
    rows = []
    for category in categories:
        row = [counts.get((category.pk, column), 0) for column in columns]
        rows.append(MatrixRow(category=category, counts=row, total=sum(row)))
    column_totals = [sum(row.counts[i] for row in rows) for i in range(len(columns))]
    return NeedsMatrix(
        incubators=incubators, rows=rows, column_totals=column_totals, total=sum(column_totals)
    )


# --- Routing health per agency ---------------------------------------------------------


@dataclass
class AgencyHealth:
    agency: Agency
    routed: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    declined: int = 0
    transferred: int = 0
    median_to_acknowledge: datetime.timedelta | None = None
    median_to_resolve: datetime.timedelta | None = None


def routing_health(
    *, period: Period = Period(), now: datetime.datetime | None = None
) -> list[AgencyHealth]:
    """Per agency, what became of the needs routed to it in the period. Three queries.

    Open and overdue count only needs still shared with consent: those are what the
    agency sees in its inbox and can act on. The outcomes and the medians are history and
    count every routed need."""
    now = now or timezone.now()
    routed = RoutedNeed.objects.filter(period.lookups())
    shared = Q(need__consent=True)
    counts = {
        group["agency_id"]: group
        for group in routed.values("agency_id")
        .annotate(
            routed=Count("pk"),
            open=Count("pk", filter=shared & Q(status__in=RoutedNeed.OPEN_STATUSES)),
            overdue=Count("pk", filter=shared & RoutedNeed.overdue_q(now)),
            resolved=Count("pk", filter=Q(status=Status.RESOLVED)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            transferred=Count("pk", filter=Q(status=Status.TRANSFERRED)),
        )
        .order_by()
    }
    # Medians are not an aggregate SQLite has; PostgreSQL's percentile_cont would keep
    # this in the database, but it must run on both. So we fetch the few timestamps the
    # medians need, one row per acknowledged or resolved routed need in the period: still
    # one query, and its size is bounded by the period the coordinator chooses (a few
    # thousand rows a year at the region's scale), not by the whole history when filtered.
    to_acknowledge: dict[int, list[float]] = defaultdict(list)
    to_resolve: dict[int, list[float]] = defaultdict(list)
    durations = routed.filter(
        Q(acknowledged_at__isnull=False) | Q(status=Status.RESOLVED, closed_at__isnull=False)
    ).values_list("agency_id", "status", "created_at", "acknowledged_at", "closed_at")
    for agency_id, status, created_at, acknowledged_at, closed_at in durations:
        if acknowledged_at is not None:
            to_acknowledge[agency_id].append((acknowledged_at - created_at).total_seconds())
        if status == Status.RESOLVED and closed_at is not None:
            to_resolve[agency_id].append((closed_at - created_at).total_seconds())
    agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=counts.keys())).order_by(
        "order", "short_name"
    )
    health = []
    for agency in agencies:
        group = counts.get(agency.pk, {})
        health.append(
            AgencyHealth(
                agency=agency,
                routed=group.get("routed", 0),
                open=group.get("open", 0),
                overdue=group.get("overdue", 0),
                resolved=group.get("resolved", 0),
                declined=group.get("declined", 0),
                transferred=group.get("transferred", 0),
                median_to_acknowledge=_median(to_acknowledge.get(agency.pk)),
                median_to_resolve=_median(to_resolve.get(agency.pk)),
            )
        )
    return health


def _median(seconds: list[float] | None) -> datetime.timedelta | None:
    if not seconds:
        return None
    return datetime.timedelta(seconds=statistics.median(seconds))


def duration_hours(delta: datetime.timedelta | None) -> str:
    """For spreadsheets: hours with one decimal, or empty."""
    if delta is None:
        return ""
    return f"{delta.total_seconds() / 3600:.1f}"


def duration_readable(delta: datetime.timedelta | None) -> str:
    """For people: minutes, hours or days, whichever reads best."""
    if delta is None:
        return "—"
    hours = delta.total_seconds() / 3600
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if hours < 48:
        return _("%(hours)s h") % {"hours": formats.number_format(hours, decimal_pos=1)}
    days = hours / 24
    return ngettext("%(days)s day", "%(days)s days", math.ceil(days)) % {
        "days": formats.number_format(days, decimal_pos=1)
    }


# --- The same, as rows for a spreadsheet -----------------------------------------------


def members_table(overview: MembersOverview) -> tuple[list[str], list[list]]:
    header = [
        _("Incubator"),
        _("Member companies"),
        *(_("Sector: %(sector)s") % {"sector": label} for _code, label in overview.sectors),
        *(_("Stage: %(stage)s") % {"stage": label} for _code, label in overview.stages),
    ]
    rows = [[row.incubator.name, row.total, *row.by_sector, *row.by_stage] for row in overview.rows]
    rows.append([_("Total"), overview.total, *overview.total_by_sector, *overview.total_by_stage])
    return header, rows


def needs_table(matrix: NeedsMatrix) -> tuple[list[str], list[list]]:
    header = [
        _("Category"),
        *(incubator.name for incubator in matrix.incubators),
        _("No incubator"),
        _("Total"),
    ]
    rows = [[row.category.name, *row.counts, row.total] for row in matrix.rows]
    rows.append([_("Total"), *matrix.column_totals, matrix.total])
    return header, rows


def routing_table(health: list[AgencyHealth]) -> tuple[list[str], list[list]]:
    header = [
        _("Agency"),
        _("Routed"),
        _("Open"),
        _("Overdue"),
        _("Resolved"),
        RoutedNeed.Status.DECLINED.label,
        _("Transferred"),
        _("Median hours to acknowledge"),
        _("Median hours to resolve"),
    ]
    rows = [
        [
            item.agency.short_name,
            item.routed,
            item.open,
            item.overdue,
            item.resolved,
            item.declined,
            item.transferred,
            duration_hours(item.median_to_acknowledge),
            duration_hours(item.median_to_resolve),
        ]
        for item in health
    ]
    return header, rows
