"""Writes on hackathons: teams (create, join by invitation link, leave), the skills
board, submissions until the deadline, jury assignments and scores, and the
publication of the winners. Views, the admin and the demo call these."""

import datetime
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from common.uploads import delete_on_commit
from notifications.services import notification_record

from . import notices
from .access import is_organiser, is_participant
from .models import (
    Assignment,
    Award,
    Challenge,
    Criterion,
    Hackathon,
    Score,
    SkillPost,
    Submission,
    SubmissionFile,
    Team,
    TeamMember,
    new_invite_token,
)
from .uploads import MAX_FILES, check_upload


@dataclass
class HackathonRefused(Exception):
    """Something the person cannot do; `message` is for them."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _refuse(code: str, **values) -> HackathonRefused:
    messages = {
        "not_participant": lambda: _(
            "Only people whose registration to this hackathon is confirmed can join a team."
        ),
        "has_team": lambda: _("You are already in a team for this hackathon: leave it first."),
        "name_taken": lambda: _("A team of this hackathon already has that name."),
        "full": lambda: _("This team is full (%(max)s members at most).") % values,
        "bad_invite": lambda: _(
            "This invitation link is not valid any more. Ask the team for a new one."
        ),
        "not_member": lambda: _("Only the team's members can do this."),
        "late": lambda: (
            _(
                "The submission deadline passed on %(when)s (Brussels time): "
                "submissions can no longer be made or changed."
            )
            % values
        ),
        "too_many_files": lambda: _("At most %(max)s files per submission.") % values,
        "published": lambda: _("The results are published: scores can no longer change."),
        "no_criteria": lambda: _("This hackathon has no judging criteria yet."),
        "incomplete": lambda: _("Give a score from 0 to 10 for every criterion."),
    }
    return HackathonRefused(code, messages[code]())


def _deadline_text(hackathon: Hackathon) -> str:
    return date_format(timezone.localtime(hackathon.submission_deadline), "j F Y, H:i")


def deadline_passed_message(hackathon: Hackathon) -> str:
    return _refuse("late", when=_deadline_text(hackathon)).message


def _check_open(hackathon: Hackathon, now: datetime.datetime) -> None:
    if not hackathon.accepts_submissions(now):
        raise _refuse("late", when=_deadline_text(hackathon))


def _check_member(team: Team, user: User) -> None:
    if not team.members.filter(user=user).exists():
        raise _refuse("not_member")


# --- Teams -----------------------------------------------------------------------------


def team_create(
    *,
    hackathon: Hackathon,
    user: User,
    name: str,
    pitch: str = "",
    challenge: Challenge | None = None,
    looking_for_members: bool = False,
    skills_wanted: str = "",
    now: datetime.datetime | None = None,
) -> Team:
    """A participant starts a team and is its first member."""
    _check_open(hackathon, now or timezone.now())
    if not is_participant(user, hackathon):
        raise _refuse("not_participant")
    if challenge is not None and challenge.hackathon_id != hackathon.pk:
        challenge = None
    try:
        with transaction.atomic():
            team = Team.objects.create(
                hackathon=hackathon,
                name=name.strip(),
                pitch=pitch,
                challenge=challenge,
                looking_for_members=looking_for_members,
                skills_wanted=skills_wanted,
                created_by=user,
            )
            TeamMember.objects.create(team=team, hackathon=hackathon, user=user)
    except IntegrityError:
        if TeamMember.objects.filter(hackathon=hackathon, user=user).exists():
            raise _refuse("has_team") from None
        raise _refuse("name_taken") from None
    return team


def team_update(
    *,
    team: Team,
    user: User,
    name: str,
    pitch: str,
    challenge: Challenge | None,
    looking_for_members: bool,
    skills_wanted: str,
) -> Team:
    _check_member(team, user)
    if challenge is not None and challenge.hackathon_id != team.hackathon_id:
        challenge = None
    team.name, team.pitch, team.challenge = name.strip(), pitch, challenge
    team.looking_for_members, team.skills_wanted = looking_for_members, skills_wanted
    try:
        with transaction.atomic():
            team.save(
                update_fields=["name", "pitch", "challenge", "looking_for_members", "skills_wanted"]
            )
    except IntegrityError:
        raise _refuse("name_taken") from None
    return team


def team_join(*, token: str, user: User, now: datetime.datetime | None = None) -> Team:
    """Join the team whose invitation link this is. The team row is locked while its
    members are counted, so two people joining at once never pass the maximum."""
    with transaction.atomic():
        team = (
            Team.objects.select_for_update()
            .select_related("hackathon__event")
            .filter(invite_token=token)
            .first()
        )
        if team is None:
            raise _refuse("bad_invite")
        hackathon = team.hackathon
        _check_open(hackathon, now or timezone.now())
        if not is_participant(user, hackathon):
            raise _refuse("not_participant")
        if TeamMember.objects.filter(hackathon=hackathon, user=user).exists():
            raise _refuse("has_team")
        if team.members.count() >= hackathon.team_size_max:
            raise _refuse("full", max=hackathon.team_size_max)
        try:
            with transaction.atomic():
                TeamMember.objects.create(team=team, hackathon=hackathon, user=user)
        except IntegrityError:
            raise _refuse("has_team") from None
        if team.members.count() >= hackathon.team_size_max and team.looking_for_members:
            team.looking_for_members = False
            team.save(update_fields=["looking_for_members"])
    return team


def team_leave(*, team: Team, user: User) -> bool:
    """Leave the team. A team left empty is deleted, unless it has a submission (which
    stays for the jury and the results). Returns whether the team was deleted."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        deleted, _rows = TeamMember.objects.filter(team=team, user=user).delete()
        if not deleted:
            raise _refuse("not_member")
        if not team.members.exists() and not Submission.objects.filter(team=team).exists():
            team.delete()
            return True
    return False


def team_invite_renew(*, team: Team, user: User) -> Team:
    """A new invitation link; the old one stops working."""
    _check_member(team, user)
    team.invite_token = new_invite_token()
    team.save(update_fields=["invite_token"])
    return team


def skill_post_save(*, hackathon: Hackathon, user: User, skills: str, note: str = "") -> SkillPost:
    if not is_participant(user, hackathon):
        raise _refuse("not_participant")
    post, _created = SkillPost.objects.update_or_create(
        hackathon=hackathon, user=user, defaults={"skills": skills, "note": note}
    )
    return post


def skill_post_delete(*, hackathon: Hackathon, user: User) -> None:
    SkillPost.objects.filter(hackathon=hackathon, user=user).delete()


# --- Submissions -------------------------------------------------------------------------


def submission_save(
    *,
    team: Team,
    user: User,
    project_name: str,
    description: str,
    challenge: Challenge | None = None,
    repository_url: str = "",
    demo_url: str = "",
    files: list[UploadedFile] = (),
    now: datetime.datetime | None = None,
) -> Submission:
    """Make or change the team's one submission, until the deadline (server time)."""
    hackathon = team.hackathon
    _check_member(team, user)
    _check_open(hackathon, now or timezone.now())
    if challenge is not None and challenge.hackathon_id != hackathon.pk:
        challenge = None
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as error:
            raise HackathonRefused("file", " ".join(error.messages)) from None
    with transaction.atomic():
        submission, _created = Submission.objects.select_for_update().update_or_create(
            team=team,
            defaults={
                "hackathon": hackathon,
                "project_name": project_name,
                "challenge": challenge,
                "description": description,
                "repository_url": repository_url,
                "demo_url": demo_url,
            },
        )
        if submission.files.count() + len(files) > MAX_FILES:
            raise _refuse("too_many_files", max=MAX_FILES)
        for upload in files:
            name = PurePath(upload.name).name
            SubmissionFile.objects.create(
                submission=submission, file=upload, name=name[:200], size=upload.size
            )
    return submission


def submission_file_delete(
    *, file: SubmissionFile, user: User, now: datetime.datetime | None = None
) -> None:
    submission = file.submission
    _check_member(submission.team, user)
    _check_open(submission.hackathon, now or timezone.now())
    # The stored file goes once the row's deletion commits: a rollback keeps both.
    delete_on_commit(file.file.storage, file.file.name)
    file.delete()


# --- Jury ----------------------------------------------------------------------------------


def jurors_assign(*, hackathon: Hackathon, by: User, per_submission: int | None = None) -> int:
    """Assign the hackathon's jurors to its submissions: every juror to every submission
    (`per_submission` None), or each submission to `per_submission` jurors, spread evenly.
    Assignments already made stay. Returns how many were added."""
    if not is_organiser(by, hackathon.event):
        raise _refuse("not_member")
    jurors = list(hackathon.jurors.order_by("pk"))
    submissions = list(hackathon.submissions.order_by("pk"))
    if not jurors or not submissions:
        return 0
    rows = []
    if per_submission is None or per_submission >= len(jurors):
        rows = [Assignment(submission=s, juror=j) for s in submissions for j in jurors]
    else:
        turn = 0
        for submission in submissions:
            for _i in range(max(1, per_submission)):
                rows.append(Assignment(submission=submission, juror=jurors[turn % len(jurors)]))
                turn += 1
    before = Assignment.objects.filter(submission__hackathon=hackathon).count()
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return Assignment.objects.filter(submission__hackathon=hackathon).count() - before


def scores_submit(
    *,
    assignment: Assignment,
    juror: User,
    values: dict[int, int],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Assignment:
    """A juror's scores (0-10 for each criterion, by criterion id) and comment on one
    submission assigned to them; they may change them until the results are published."""
    if assignment.juror_id != juror.pk:
        raise _refuse("not_member")
    hackathon = assignment.submission.hackathon
    if hackathon.results_published_at is not None:
        raise _refuse("published")
    criteria = list(Criterion.objects.filter(hackathon=hackathon))
    if not criteria:
        raise _refuse("no_criteria")
    if any(not isinstance(values.get(c.pk), int) or not 0 <= values[c.pk] <= 10 for c in criteria):
        raise _refuse("incomplete")
    with transaction.atomic():
        for criterion in criteria:
            Score.objects.update_or_create(
                assignment=assignment, criterion=criterion, defaults={"value": values[criterion.pk]}
            )
        assignment.comment = comment
        assignment.submitted_at = now or timezone.now()
        assignment.save(update_fields=["comment", "submitted_at"])
    return assignment


def winners_publish(
    *,
    hackathon: Hackathon,
    by: User,
    overall: Submission | None,
    per_challenge: dict[int, Submission | None],
    now: datetime.datetime | None = None,
) -> int:
    """Publish the winners (overall and per challenge) once: the public page shows them
    and every member of a team that submitted is told. Returns the notices recorded."""
    if not is_organiser(by, hackathon.event):
        raise _refuse("not_member")
    now = now or timezone.now()
    with transaction.atomic():
        published = Hackathon.objects.filter(
            pk=hackathon.pk, results_published_at__isnull=True
        ).update(results_published_at=now)
        if not published:
            raise _refuse("published")
        hackathon.results_published_at = now
        if overall is not None and overall.hackathon_id == hackathon.pk:
            Award.objects.create(hackathon=hackathon, challenge=None, submission=overall)
        for challenge in hackathon.challenges.all():
            winner = per_challenge.get(challenge.pk)
            if winner is not None and winner.hackathon_id == hackathon.pk:
                Award.objects.create(hackathon=hackathon, challenge=challenge, submission=winner)
        recorded = 0
        for member in TeamMember.objects.filter(
            hackathon=hackathon, team__submission__isnull=False
        ).select_related("user"):
            recorded += (
                notification_record(
                    kind=notices.HACKATHON_RESULTS,
                    recipient=member.user,
                    key=f"{notices.HACKATHON_RESULTS}:hackathon:{hackathon.pk}:user:{member.user_id}",
                    subject=hackathon,
                    context={"team": member.team_id},
                )
                is not None
            )
    return recorded
