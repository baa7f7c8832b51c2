"""Survey results: invitations, response rate, satisfaction and its distribution, NPS,
grouped by agency, incubator or advisor over a period. A fixed number of aggregate
queries, whatever the number of responses. A group with fewer than MIN_GROUP responses
shows its counts only, to protect anonymity."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from common.dates import day_start, days_bounds

from .models import Answer, Invitation, Question, Response, Suggestion, Survey
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


def _filtered(qs: QuerySet, filters: ResultFilters, *, date_field: str, prefix: str = ""):
    q = Q()
    for name in ("survey", "agency", "incubator", "advisor"):
        value = getattr(filters, name)
        if value:
            q &= Q(**{f"{prefix}{name}_id": value})
    if not filters.survey:
        # Surveys after an event have their own results page, per event: they are not
        # mixed into the permanences' satisfaction unless that survey is chosen.
        q &= ~Q(**{f"{prefix}survey__kind": Survey.Kind.AFTER_EVENT})
    if filters.since:
        q &= Q(**{f"{date_field}__gte": day_start(filters.since)})
    if filters.until:
        q &= Q(**{f"{date_field}__lt": days_bounds(filters.until)[1]})
    return qs.filter(q)


def results(*, filters: ResultFilters, labels: dict[int, str]) -> tuple[ResultRow, list[ResultRow]]:
    """The total and one row per group (agency, incubator or advisor). Invitations count
    by when they were sent, responses by when they were given. Three queries."""
    group = GROUPS.get(filters.group, "agency")
    key = f"{group}_id"
    invitations = _filtered(Invitation.objects.all(), filters, date_field="created_at")
    responses = _filtered(Response.objects.all(), filters, date_field="submitted_at")
    answers = _filtered(
        Answer.objects.filter(question__kind=Question.Kind.RATING, number__isnull=False),
        filters,
        date_field="response__submitted_at",
        prefix="response__",
    )
    rows: dict[int | None, ResultRow] = {}

    def row(k) -> ResultRow:
        if k not in rows:
            rows[k] = ResultRow(key=k, label=labels.get(k, "—") if k else "—")
        return rows[k]

    for item in invitations.values(key).annotate(n=Count("pk")).order_by():
        row(item[key]).invitations = item["n"]
    for item in (
        responses.values(key)
        .annotate(
            n=Count("pk"),
            avg=Avg("satisfaction"),
            promoters=Count("pk", filter=Q(nps__gte=9)),
            passives=Count("pk", filter=Q(nps__in=[7, 8])),
            detractors=Count("pk", filter=Q(nps__lte=6)),
        )
        .order_by()
    ):
        target = row(item[key])
        target.responses = item["n"]
        target.satisfaction = round(item["avg"], 2) if item["avg"] is not None else None
        target.promoters = item["promoters"]
        target.passives = item["passives"]
        target.detractors = item["detractors"]
    for item in answers.values(f"response__{key}", "number").annotate(n=Count("pk")).order_by():
        if 1 <= item["number"] <= 5:
            row(item[f"response__{key}"]).distribution[item["number"] - 1] += item["n"]

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
    qs = _filtered(Suggestion.objects.all(), filters, date_field="created_at")
    if handled == "open":
        qs = qs.filter(handled_at__isnull=True)
    elif handled == "done":
        qs = qs.filter(handled_at__isnull=False)
    ordered = qs.select_related("agency", "incubator", "handled_by").order_by("-created_at", "-pk")
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
    return [(s.pk, str(s)) for s in Survey.objects.order_by("-opens_at")]
