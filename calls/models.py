"""Experimentation calls: an EU institution, the Region, an agency or the EDIH asks
start-ups to solve a problem (a pilot, a test, funding for those selected). Start-ups
apply (a draft, then a submission before the deadline), evaluators named per call score
the applications assigned to them on weighted criteria (or declare a conflict of
interest), and the call's managers decide and publish the decisions.

The invariants have a database constraint behind them: one application per person and
one per company per call, maturity (TRL) 1-9, scores 0-10, one score per assignment and
criterion, no score from an evaluator who declared a conflict, one evaluator invitation
per address per call, a decision only on a submitted application.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.attachments import Attachment

# The migrations name calls.models.private_storage: the shared storage, imported here.
from common.uploads import private_storage
from notifications.models import notices_relation


def new_token() -> str:
    return secrets.token_urlsafe(18)


class CallQuerySet(models.QuerySet):
    def published(self) -> "CallQuerySet":
        return self.filter(status=Call.Status.PUBLISHED)


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not public)")
        PUBLISHED = "published", _("Published")

    class FunderKind(models.TextChoices):
        EU_INSTITUTION = "eu_institution", _("EU institution")
        REGION = "region", _("Brussels Region")
        AGENCY = "agency", _("Regional agency")
        EDIH = "edih", _("European Digital Innovation Hub")
        OTHER = "other", _("Other organisation")

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    problem = models.TextField(_("the problem to solve"))
    eligibility = models.TextField(_("who may apply"))
    offer = models.TextField(
        _("what selected start-ups get"), help_text=_("A pilot, a test, funding…")
    )
    funder_kind = models.CharField(_("issued by (kind)"), max_length=20, choices=FunderKind.choices)
    funder_name = models.CharField(
        _("issued by"), max_length=200, help_text=_("E.g. European Commission, DG CONNECT.")
    )
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        help_text=_("The regional agency that runs or co-runs the call, if any."),
    )
    themes = models.ManyToManyField(
        "incubators.Theme", verbose_name=_("innovation themes"), blank=True, related_name="calls"
    )
    opens_at = models.DateTimeField(_("opens"), help_text=_("Brussels time."))
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Brussels time. Later submissions are refused.")
    )
    score_max = models.PositiveSmallIntegerField(
        _("highest score"),
        choices=[(5, "0–5"), (10, "0–10")],
        default=5,
        help_text=_("Evaluators score each criterion from 0 to this."),
    )
    anonymised_review = models.BooleanField(
        _("anonymised review"),
        default=False,
        help_text=_("Evaluators do not see the applicant's name or company."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="calls_managed",
        help_text=_("Besides the coordinator, who manages evaluators and decisions."),
    )
    decisions_published_at = models.DateTimeField(_("decisions published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    notifications = notices_relation("call")
    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("experimentation call")
        verbose_name_plural = _("experimentation calls")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="call_deadline_after_opening"
            ),
            models.CheckConstraint(condition=Q(score_max__in=[5, 10]), name="call_score_max_known"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="call_status_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    funder_kind__in=["eu_institution", "region", "agency", "edih", "other"]
                ),
                name="call_funder_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.slug])

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Phase.UPCOMING
        if now < self.deadline:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    def phase_label(self) -> str:
        return self.Phase(self.phase()).label

    def accepts_applications(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and self.phase(now) == self.Phase.OPEN


class Criterion(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("what evaluators look at"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1), name="call_criterion_weight_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        NONE = "", _("Not decided")
        SELECTED = "selected", _("Selected")
        WAITING_LIST = "waiting_list", _("Waiting list")
        NOT_SELECTED = "not_selected", _("Not selected")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="call_applications",
    )
    company = models.ForeignKey(
        "incubators.Company",
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
    )
    project_title = models.CharField(_("project title"), max_length=150)
    team = models.TextField(
        _("team"), max_length=3000, blank=True, help_text=_("Who you are, roles and experience.")
    )
    solution = models.TextField(
        _("your solution"),
        max_length=6000,
        blank=True,
        help_text=_("How you would solve the problem, and what you would test in the pilot."),
    )
    trl = models.PositiveSmallIntegerField(
        _("maturity (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_(
            "Technology readiness level, from 1 (basic principles observed) "
            "to 9 (proven in operational environment)."
        ),
    )
    references = models.TextField(
        _("references"),
        max_length=3000,
        blank=True,
        help_text=_("Customers, pilots or partners who know your work."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    decision = models.CharField(
        _("decision"), max_length=15, choices=Decision.choices, default="", blank=True
    )
    feedback = models.TextField(_("feedback to the applicant"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    notifications = notices_relation("call_application")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "project_title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"], name="call_application_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["call", "company"],
                condition=Q(company__isnull=False),
                name="call_application_one_per_company",
            ),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9),
                name="call_application_trl_1_to_9",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "withdrawn"]),
                name="call_application_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False, trl__isnull=False),
                name="call_application_submitted_complete",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(status="submitted"),
                name="call_application_decision_if_submitted",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "selected", "waiting_list", "not_selected"]),
                name="call_application_decision_known",
            ),
        ]

    def __str__(self) -> str:
        return self.project_title

    def status_for_applicant(self, now=None) -> str:
        """What the applicant is told of where their application stands: the decision
        only once the managers have published the decisions."""
        if self.status != self.Status.SUBMITTED:
            return self.get_status_display()
        if self.call.decisions_published_at is not None and self.decision:
            return self.get_decision_display()
        if (now or timezone.now()) >= self.call.deadline:
            return _("Under evaluation")
        return self.get_status_display()

    def applicant_label(self) -> str:
        return f"{self.company.name} ({self.applicant})" if self.company_id else str(self.applicant)


class ApplicationFile(Attachment):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="calls/applications/", storage=private_storage)

    class Meta(Attachment.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Evaluator(models.Model):
    """A person invited to evaluate a call's applications, by email address: the
    invitation is linked to the account with that (verified) address, now or when the
    person signs up."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="evaluators"
    )
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="call_evaluations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)

    notifications = notices_relation("call_evaluator")

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        ordering = ["call", "email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="call_evaluator_one_per_email"),
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=Q(user__isnull=False),
                name="call_evaluator_one_per_user",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.email)


class Assignment(models.Model):
    """An evaluator's task: score one application, or declare a conflict of interest
    (then they give no score, and the application goes to another evaluator)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.CASCADE,
        related_name="call_assignments",
    )
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_reason = models.CharField(_("conflict of interest: why"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation assignment")
        verbose_name_plural = _("evaluation assignments")
        ordering = ["application__project_title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="call_assignment_one_per_evaluator"
            ),
            models.CheckConstraint(
                condition=Q(conflict=False) | Q(scored_at__isnull=True),
                name="call_assignment_no_score_if_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} → {self.application}"


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
                fields=["assignment", "criterion"], name="call_score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="call_score_between_0_and_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
