"""Reads on hackathons: the ranking the organiser sees, the boards of the public page."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q

from .models import Assignment, Criterion, Hackathon, Score, SkillPost, Submission, Team


@dataclass
class RankedSubmission:
    submission: Submission
    # The mean over the jurors who submitted of each one's weighted average (0-10).
    score: Decimal | None
    scores_count: int
    assigned_count: int
    rank: int | None = None
    tied: bool = False
    by_criterion: list[Decimal | None] = field(default_factory=list)


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(*, hackathon: Hackathon) -> list[RankedSubmission]:
    """Every submission, best first. Each juror's submitted scores make one weighted
    average (sum of weight × score / sum of weights); a submission's score is the mean of
    its jurors' averages. Equal scores share a rank (1, 1, 3); a submission nobody has
    scored yet comes last, unranked."""
    criteria = list(Criterion.objects.filter(hackathon=hackathon))
    weights = {c.pk: Decimal(c.weight) for c in criteria}
    total_weight = sum(weights.values())
    submissions = list(
        Submission.objects.filter(hackathon=hackathon).select_related("team", "challenge")
    )
    per_assignment: dict[int, dict[int, int]] = {}
    assignment_submission: dict[int, int] = {}
    assigned: dict[int, int] = {}
    for pk, submission_id, submitted_at in Assignment.objects.filter(
        submission__hackathon=hackathon
    ).values_list("pk", "submission_id", "submitted_at"):
        assigned[submission_id] = assigned.get(submission_id, 0) + 1
        if submitted_at is not None:
            assignment_submission[pk] = submission_id
            per_assignment[pk] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(
        assignment_id__in=list(per_assignment)
    ).values_list("assignment_id", "criterion_id", "value"):
        per_assignment[assignment_id][criterion_id] = value
    juror_means: dict[int, list[Decimal]] = {}
    criterion_values: dict[int, dict[int, list[int]]] = {}
    for assignment_id, values in per_assignment.items():
        if not total_weight or set(values) != set(weights):
            continue  # criteria changed after this juror scored: not counted
        mean = sum(weights[c] * v for c, v in values.items()) / total_weight
        submission_id = assignment_submission[assignment_id]
        juror_means.setdefault(submission_id, []).append(mean)
        for criterion_id, value in values.items():
            criterion_values.setdefault(submission_id, {}).setdefault(criterion_id, []).append(
                value
            )
    rows = []
    for submission in submissions:
        means = juror_means.get(submission.pk, [])
        by_criterion = []
        for criterion in criteria:
            values = criterion_values.get(submission.pk, {}).get(criterion.pk, [])
            by_criterion.append(_quantize(Decimal(sum(values)) / len(values)) if values else None)
        rows.append(
            RankedSubmission(
                submission=submission,
                score=_quantize(sum(means) / len(means)) if means else None,
                scores_count=len(means),
                assigned_count=assigned.get(submission.pk, 0),
                by_criterion=by_criterion,
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.submission.project_name.lower()))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            continue
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    ranks = [row.rank for row in rows if row.rank is not None]
    for row in rows:
        row.tied = row.rank is not None and ranks.count(row.rank) > 1
    return rows


def teams_board(*, hackathon: Hackathon, skill: str = "") -> list[Team]:
    """The teams, with members; `skill` keeps the teams looking for it."""
    teams = Team.objects.filter(hackathon=hackathon).select_related("challenge")
    if skill:
        teams = teams.filter(looking_for_members=True, skills_wanted__icontains=skill)
    return list(
        teams.prefetch_related(Prefetch("members", to_attr="member_list")).order_by(
            "-looking_for_members", "name"
        )
    )


def skills_board(*, hackathon: Hackathon, skill: str = "") -> list[SkillPost]:
    """Participants looking for a team: their posts, unless they have joined one."""
    posts = SkillPost.objects.filter(hackathon=hackathon).exclude(
        user__team_memberships__hackathon=hackathon
    )
    if skill:
        posts = posts.filter(Q(skills__icontains=skill) | Q(note__icontains=skill))
    return list(posts.select_related("user"))


def published_awards(*, hackathon: Hackathon):
    if hackathon.results_published_at is None:
        return []
    return list(hackathon.awards.select_related("challenge__partner", "submission__team"))
