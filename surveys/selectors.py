"""Survey results: invitations, response rate, satisfaction and its distribution, NPS,
grouped by agency, incubator or advisor over a period, read from the daily counters
(DailyResult): one query over a few rows per day, whatever the number of responses. A
group with fewer than MIN_GROUP responses shows its counts only, to protect anonymity."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from common.dates import day_start, days_bounds

from .models import DailyResult, Invitation, Suggestion, Survey
from .tokens import invitation_token

MIN_GROUP = 5
GROUPS = {"agency": "agency", "incubator": "incubator", "advisor": "advisor"}


@dataclass(frozen=True)
class ResultFilters:
    survey: int | None = None
    agency: int | None = None
    incubator: int | None = None
    advisor: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    group: str = "agency"


@dataclass
class ResultRow:
    key: int | None
    label: str
    invitations: int = 0
    responses: int = 0
    satisfaction: float | None = None
    distribution: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    hidden: bool = False

    @property
    def rate(self) -> float | None:
        return round(100 * self.responses / self.invitations) if self.invitations else None

    @property
    def nps(self) -> int | None:
        rated = self.promoters + self.passives + self.detractors
        if not rated:
            return None
        return round(100 * (self.promoters - self.detractors) / rated)


def _suggestions_filtered(filters: ResultFilters) -> QuerySet[Suggestion]:
    q = Q()
    for name in ("survey", "agency", "incubator", "advisor"):
        if value := getattr(filters, name):
            q &= Q(**{f"{name}_id": value})
    if not filters.survey:
        # As in the results (below). A subquery rather than a join: the newest are then
        # read from the index on their date, whatever the number of suggestions.
        q &= ~Q(survey__in=Survey.objects.filter(kind=Survey.Kind.AFTER_EVENT).values("pk"))
    if filters.since:
        q &= Q(created_at__gte=day_start(filters.since))
    if filters.until:
        q &= Q(created_at__lt=days_bounds(filters.until)[1])
    return Suggestion.objects.filter(q)


def results(*, filters: ResultFilters, labels: dict[int, str]) -> tuple[ResultRow, list[ResultRow]]:
    """The total and one row per group (agency, incubator or advisor). Invitations count
    by the day they were sent, responses by the day they were given (in Brussels). One
    query, over the daily counters (DailyResult) rather than the rows they count."""
    group = GROUPS.get(filters.group, "agency")
    q = Q()
    if filters.survey:
        q &= Q(survey_id=filters.survey)
    else:
        # Surveys after an event have their own results page, per event: they are not
        # mixed into the permanences' satisfaction unless that survey is chosen.
        q &= ~Q(survey__kind=Survey.Kind.AFTER_EVENT)
    for name in ("agency", "incubator", "advisor"):
        if value := getattr(filters, name):
            q &= Q(**{f"{name}_key": value})
    if filters.since:
        q &= Q(day__gte=filters.since)
    if filters.until:
        q &= Q(day__lte=filters.until)
    sums = DailyResult.objects.filter(q).values(f"{group}_key").order_by()
    rows: dict[int | None, ResultRow] = {}
    for item in sums.annotate(**{name: Sum(name) for name in DailyResult.COUNTERS}):
        if not item["invitations"] and not item["responses"]:
            continue  # what was counted there is deleted
        key = item[f"{group}_key"] or None
        row = rows[key] = ResultRow(key=key, label=labels.get(key, "—") if key else "—")
        row.invitations = item["invitations"]
        row.responses = item["responses"]
        if item["satisfaction_count"]:
            row.satisfaction = round(item["satisfaction_sum"] / item["satisfaction_count"], 2)
        row.promoters = item["promoters"]
        row.passives = item["passives"]
        row.detractors = item["detractors"]
        row.distribution = [item[f"rated_{n}"] for n in range(1, 6)]

    total = ResultRow(key=None, label="")
    for r in rows.values():
        total.invitations += r.invitations
        total.responses += r.responses
        total.promoters += r.promoters
        total.passives += r.passives
        total.detractors += r.detractors
        total.distribution = [
            a + b for a, b in zip(total.distribution, r.distribution, strict=True)
        ]
    weighted = [(r.satisfaction, r.responses) for r in rows.values() if r.satisfaction is not None]
    if weighted:
        rated = sum(n for _s, n in weighted)
        total.satisfaction = round(sum(s * n for s, n in weighted) / rated, 2) if rated else None
    for r in [total, *rows.values()]:
        if r.responses < MIN_GROUP:
            _hide(r)
    ordered = sorted(rows.values(), key=lambda r: (r.label == "—", r.label))
    return total, ordered


def _hide(row: ResultRow) -> None:
    row.hidden = True
    row.satisfaction = None
    row.distribution = [0, 0, 0, 0, 0]
    row.promoters = row.passives = row.detractors = 0


SUGGESTIONS_SHOWN = 50


def suggestions(
    *, filters: ResultFilters, handled: str = "open", limit: int | None = SUGGESTIONS_SHOWN
) -> QuerySet[Suggestion]:
    """The newest suggestions in the filters; `handled` is "open", "done" or "all". All
    of them are in the admin (Suggestions)."""
    qs = _suggestions_filtered(filters)
    if handled == "open":
        qs = qs.filter(handled_at__isnull=True)
    elif handled == "done":
        qs = qs.filter(handled_at__isnull=False)
    ordered = (
        # The agency's and incubator's names come from the directory's cached labels.
        qs.select_related("handled_by")
        .only(
            "text",
            "created_at",
            "handled_at",
            "agency_id",
            "incubator_id",
            "handled_by__first_name",
            "handled_by__last_name",
            "handled_by__email",
            "handled_by__erased_at",
        )
        .order_by("-created_at", "-pk")
    )
    return ordered[:limit] if limit else ordered


def open_invitations_for(*, user) -> list[tuple[Invitation, str]]:
    """The surveys waiting for this person's answer, with their links."""
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(user=user, answered_at__isnull=True, expires_at__gt=now)
        .filter(survey__in=Survey.objects.open(now))
        .select_related("survey", "agency", "incubator")
        .order_by("expires_at")
    )
    return [(invitation, invitation_token(invitation)) for invitation in invitations]


def survey_choices() -> list[tuple[int, str]]:
    return [
        (pk, title) for pk, title in Survey.objects.order_by("-opens_at").values_list("pk", "title")
    ]
