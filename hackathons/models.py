"""Hackathons, on top of an events.Event of kind hackathon: challenges posed by partners,
teams of registered participants, one submission per team until the deadline, and a jury
scoring the submissions assigned to each juror with weighted criteria.

The invariants have a database constraint behind them: one team per person per hackathon,
one submission per team, one score per juror, submission and criterion, scores 0-10,
one juror assignment per submission and juror.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.attachments import Attachment

# The migrations name hackathons.models.private_storage: the shared storage, imported here.
from common.uploads import private_storage
from notifications.models import notices_relation


def new_invite_token() -> str:
    return secrets.token_urlsafe(18)


class HackathonQuerySet(models.QuerySet):
    def public(self) -> "HackathonQuerySet":
        return self.filter(event__status="published")


class Hackathon(models.Model):
    """The hackathon settings of an event of kind hackathon."""

    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="hackathon",
        limit_choices_to={"kind": "hackathon"},
    )
    team_size_max = models.PositiveSmallIntegerField(
        _("maximum team size"), default=5, help_text=_("Members of a team, its creator included.")
    )
    submission_deadline = models.DateTimeField(
        _("submission deadline"), help_text=_("Brussels time. Later submissions are refused.")
    )
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("jurors"),
        blank=True,
        related_name="hackathons_judged",
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)

    notifications = notices_relation("hackathon")

    objects = HackathonQuerySet.as_manager()

    class Meta:
        verbose_name = _("hackathon")
        verbose_name_plural = _("hackathons")
        constraints = [
            models.CheckConstraint(
                condition=Q(team_size_max__gte=1), name="hackathon_team_size_positive"
            )
        ]

    def __str__(self) -> str:
        return str(self.event)

    def get_absolute_url(self) -> str:
        return reverse("hackathons:detail", args=[self.event.slug])

    def clean(self) -> None:
        if self.event_id and self.event.kind != "hackathon":
            raise ValidationError({"event": _("Choose an event of kind hackathon.")})

    def accepts_submissions(self, now=None) -> bool:
        return (now or timezone.now()) < self.submission_deadline


class Partner(models.Model):
    """Who poses a challenge: an EU institution, a service of the Region, a company."""

    class Kind(models.TextChoices):
        EU_INSTITUTION = "eu_institution", _("EU institution")
        REGION = "region", _("Brussels Region service")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="hackathons/partners/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("PNG or JPEG."),
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["eu_institution", "region", "company", "other"]),
                name="partner_kind_known",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="challenges"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="challenges"
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"))
    prizes = models.TextField(_("prizes"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class ChallengeResource(models.Model):
    """Data or an API the partner offers for the challenge."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="resources"
    )
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("address"))

    class Meta:
        verbose_name = _("data or API offered")
        verbose_name_plural = _("data and APIs offered")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("judging criterion")
        verbose_name_plural = _("judging criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("team name"), max_length=80)
    pitch = models.TextField(_("pitch"), max_length=1000, blank=True)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
    )
    looking_for_members = models.BooleanField(_("looking for members"), default=False)
    skills_wanted = models.CharField(
        _("skills wanted"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. design, Django, data science."),
    )
    invite_token = models.CharField(max_length=40, unique=True, default=new_invite_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    notifications = notices_relation("team")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["hackathon", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def skills_wanted_list(self) -> list[str]:
        return [s.strip() for s in self.skills_wanted.split(",") if s.strip()]


class TeamMember(models.Model):
    """A person in a team. `hackathon` repeats the team's so the database can hold the
    rule "one team per person per hackathon"."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members"
    )
    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hackathon", "user"], name="teammember_one_team_per_hackathon"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team}"


class SkillPost(models.Model):
    """A participant's own line on the "looking for a team" board."""

    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="skill_posts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="hackathon_skill_posts",
    )
    skills = models.CharField(
        _("my skills"), max_length=300, help_text=_("Comma-separated, e.g. UX design, Python.")
    )
    note = models.CharField(_("a word about you"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("skills post")
        verbose_name_plural = _("skills posts")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["hackathon", "user"], name="skillpost_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.skills}"

    def skills_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class Submission(models.Model):
    team = models.OneToOneField(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="submission"
    )
    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="submissions"
    )
    project_name = models.CharField(_("project name"), max_length=120)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    description = models.TextField(_("description"), max_length=5000)
    repository_url = models.URLField(_("repository"), blank=True)
    demo_url = models.URLField(_("demo"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["project_name"]

    def __str__(self) -> str:
        return self.project_name


class SubmissionFile(Attachment):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="hackathons/submissions/", storage=private_storage)

    class Meta(Attachment.Meta):
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")


class Assignment(models.Model):
    """A juror's task: score one submission. Their scores count once `submitted_at` is
    set; before that no other juror's score is shown to them."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juror"),
        on_delete=models.CASCADE,
        related_name="jury_assignments",
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        verbose_name = _("jury assignment")
        verbose_name_plural = _("jury assignments")
        ordering = ["submission__project_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "juror"], name="assignment_one_per_juror")
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.submission}"


class Score(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(10)])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="score_between_0_and_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Award(models.Model):
    """A published winner: overall (no challenge) or of one challenge."""

    hackathon = models.ForeignKey(
        Hackathon, verbose_name=_("hackathon"), on_delete=models.CASCADE, related_name="awards"
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="awards",
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="awards"
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["challenge__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hackathon"],
                condition=Q(challenge__isnull=True),
                name="award_one_overall_winner",
            ),
            models.UniqueConstraint(
                fields=["hackathon", "challenge"],
                condition=Q(challenge__isnull=False),
                name="award_one_winner_per_challenge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge or _('Overall')}: {self.submission}"
