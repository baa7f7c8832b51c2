"""Reads on calls: the public list (open first, then upcoming, then recently closed),
what an evaluator and a manager see, and the ranking."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from incubators.models import Theme

from .models import Application, Assignment, Call, Criterion, Evaluator, Score

# How long a closed call stays in the public list.
RECENTLY_CLOSED_DAYS = 90


def public_calls(
    *,
    theme: Theme | str | None = None,
    now: datetime.datetime | None = None,
    phase: str = "",
    funder_kind: str = "",
    q: str = "",
) -> list[Call]:
    """The published calls: open ones first (nearest deadline first), then upcoming ones
    (soonest opening first), then those closed in the last RECENTLY_CLOSED_DAYS days (most
    recent first). `theme` is a Theme or its slug; unknown filter values give nothing
    rather than everything (a wrong link should not look like a full list)."""
    now = now or timezone.now()
    qs = (
        Call.objects.published()
        .filter(deadline__gte=now - datetime.timedelta(days=RECENTLY_CLOSED_DAYS))
        .select_related("agency")
        .prefetch_related("themes")
    )
    if theme:
        qs = qs.filter(themes__slug=theme) if isinstance(theme, str) else qs.filter(themes=theme)
    if funder_kind:
        qs = qs.filter(funder_kind=funder_kind)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(funder_name__icontains=q)
        )
    calls = list(qs.distinct())
    opened = sorted((c for c in calls if c.phase(now) == Call.Phase.OPEN), key=lambda c: c.deadline)
    upcoming = sorted(
        (c for c in calls if c.phase(now) == Call.Phase.UPCOMING), key=lambda c: c.opens_at
    )
    closed = sorted(
        (c for c in calls if c.phase(now) == Call.Phase.CLOSED),
        key=lambda c: c.deadline,
        reverse=True,
    )
    if phase == Call.Phase.OPEN:
        return opened
    if phase == Call.Phase.UPCOMING:
        return upcoming
    if phase == Call.Phase.CLOSED:
        return closed
    return opened + upcoming + closed


@dataclass
class RankedApplication:
    application: Application
    # The mean over the evaluators who scored (conflicts excluded) of each one's weighted
    # average, on the call's scale (0 to score_max).
    score: Decimal | None
    scores_count: int
    assigned_count: int
    conflicts_count: int
    # Highest minus lowest of the evaluators' averages: how much they disagree.
    spread: Decimal | None
    rank: int | None = None
    by_criterion: list[Decimal | None] = field(default_factory=list)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(*, call: Call) -> list[RankedApplication]:
    """Every submitted application, best first. Each evaluator's scores make one
    weighted average (sum of weight × score / sum of weights); an application's score is
    the mean of its evaluators' averages. An evaluator who declared a conflict gives no
    score. Equal scores share a rank (1, 1, 3); an application nobody has scored yet
    comes last, unranked."""
    criteria = list(Criterion.objects.filter(call=call))
    weights = {c.pk: Decimal(c.weight) for c in criteria}
    total_weight = sum(weights.values())
    applications = list(
        call.applications.filter(status=Application.Status.SUBMITTED).select_related(
            "company", "applicant"
        )
    )
    per_assignment: dict[int, dict[int, int]] = {}
    assignment_application: dict[int, int] = {}
    assigned: dict[int, int] = {}
    conflicts: dict[int, int] = {}
    for pk, application_id, scored_at, conflict in Assignment.objects.filter(
        application__call=call
    ).values_list("pk", "application_id", "scored_at", "conflict"):
        assigned[application_id] = assigned.get(application_id, 0) + 1
        if conflict:
            conflicts[application_id] = conflicts.get(application_id, 0) + 1
        elif scored_at is not None:
            assignment_application[pk] = application_id
            per_assignment[pk] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(
        assignment_id__in=list(per_assignment)
    ).values_list("assignment_id", "criterion_id", "value"):
        per_assignment[assignment_id][criterion_id] = value
    means: dict[int, list[Decimal]] = {}
    criterion_values: dict[int, dict[int, list[int]]] = {}
    for assignment_id, values in per_assignment.items():
        if not total_weight or set(values) != set(weights):
            continue  # criteria changed after this evaluator scored: not counted
        mean = sum(weights[c] * v for c, v in values.items()) / total_weight
        application_id = assignment_application[assignment_id]
        means.setdefault(application_id, []).append(mean)
        for criterion_id, value in values.items():
            criterion_values.setdefault(application_id, {}).setdefault(criterion_id, []).append(
                value
            )
    rows = []
    for application in applications:
        mine = means.get(application.pk, [])
        by_criterion = []
        for criterion in criteria:
            values = criterion_values.get(application.pk, {}).get(criterion.pk, [])
            by_criterion.append(_quantize(Decimal(sum(values)) / len(values)) if values else None)
        rows.append(
            RankedApplication(
                application=application,
                score=_quantize(sum(mine) / len(mine)) if mine else None,
                scores_count=len(mine),
                assigned_count=assigned.get(application.pk, 0),
                conflicts_count=conflicts.get(application.pk, 0),
                spread=_quantize(max(mine) - min(mine)) if mine else None,
                by_criterion=by_criterion,
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application.project_title))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            break
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    return rows


@dataclass
class EvaluatorProgress:
    evaluator: Evaluator
    assigned: int
    scored: int
    conflicts: int

    @property
    def to_do(self) -> int:
        return self.assigned - self.scored - self.conflicts


def evaluator_progress(*, call: Call) -> list[EvaluatorProgress]:
    """How far each evaluator of the call has got (submitted applications only)."""
    counts = {
        row["evaluator_id"]: row
        for row in Assignment.objects.filter(
            application__call=call, application__status=Application.Status.SUBMITTED
        )
        .values("evaluator_id")
        .annotate(
            assigned=Count("pk"),
            scored=Count("pk", filter=Q(scored_at__isnull=False)),
            conflicts=Count("pk", filter=Q(conflict=True)),
        )
    }
    rows = []
    for evaluator in call.evaluators.select_related("user"):
        row = counts.get(evaluator.user_id, {})
        rows.append(
            EvaluatorProgress(
                evaluator=evaluator,
                assigned=row.get("assigned", 0),
                scored=row.get("scored", 0),
                conflicts=row.get("conflicts", 0),
            )
        )
    return rows


def applications_of(*, user) -> QuerySet[Application]:
    """A person's applications, each with its call."""
    return Application.objects.filter(applicant=user).select_related("call")


def calls_evaluated_by(user) -> QuerySet[Call]:
    return Call.objects.filter(evaluators__user=user).distinct().order_by("-deadline")


def calls_managed_by(user) -> QuerySet[Call]:
    if user.is_coordinator:
        return Call.objects.order_by("-deadline")
    return Call.objects.filter(managers=user).order_by("-deadline")
