"""Hackathons' part of a person's data (accounts.personal_data): their team memberships,
skills posts, their teams' submissions and, for jurors, their scores. Erasure takes the
person out of their teams and the skills board; a team's submission stays (it is the
team's work, and the jury's scores and the results rest on it)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED_TEXT, eraser, fields_of, section

from .models import Assignment, SkillPost, Submission, Team, TeamMember


@section("hackathon_teams", _("Hackathon teams"), order=70)
def teams(user: User) -> list[dict[str, Any]]:
    rows = []
    for member in TeamMember.objects.filter(user=user).select_related("team__hackathon__event"):
        team = member.team
        row = fields_of(team, "hackathon", "name", "pitch", "skills_wanted")
        row["joined_at"] = fields_of(member, "joined_at")["joined_at"]
        submission = Submission.objects.filter(team=team).first()
        if submission is not None:
            row["submission"] = {
                **fields_of(
                    submission,
                    "project_name",
                    "challenge",
                    "description",
                    "repository_url",
                    "demo_url",
                    "created_at",
                    "updated_at",
                ),
                "files": [f.name for f in submission.files.all()],
            }
        rows.append(row)
    return rows


@section("hackathon_skills", _("Hackathon skills posts"), order=71)
def skills(user: User) -> list[dict[str, Any]]:
    return [
        fields_of(post, "hackathon", "skills", "note", "updated_at")
        for post in SkillPost.objects.filter(user=user).select_related("hackathon__event")
    ]


@section("hackathon_jury", _("Hackathon jury scores"), order=72)
def jury(user: User) -> list[dict[str, Any]]:
    return [
        {
            **fields_of(assignment, "submission", "comment", "submitted_at"),
            "scores": {s.criterion.name: s.value for s in assignment.scores.all()},
        }
        for assignment in Assignment.objects.filter(juror=user).prefetch_related(
            "scores__criterion"
        )
    ]


@eraser
def erase(user: User) -> None:
    """Out of every team (a team left empty without a submission goes), off the skills
    board; a team they created no longer names them; juror comments are blanked (scores
    stay for the results)."""
    team_ids = list(TeamMember.objects.filter(user=user).values_list("team_id", flat=True))
    TeamMember.objects.filter(user=user).delete()
    Team.objects.filter(pk__in=team_ids, members__isnull=True, submission__isnull=True).delete()
    Team.objects.filter(created_by=user).update(created_by=None)
    SkillPost.objects.filter(user=user).delete()
    Assignment.objects.filter(juror=user).exclude(comment="").update(comment=ERASED_TEXT)
