"""Satisfaction surveys: built by the coordinator, answered through one-time links.

A survey has sections of questions. It is sent either after an attended booking (about
that advisor and agency) or periodically to an incubator's members (one invitation per
agency holding permanences there, all listed in one email). Each invitation allows one
response; suggestions are kept apart so that agencies can mark them handled.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import notices_relation


class SurveyQuerySet(models.QuerySet):
    def open(self, now: datetime.datetime | None = None) -> "SurveyQuerySet":
        """Active and within its dates: what `Survey.is_open` says of one survey."""
        now = now or timezone.now()
        return self.filter(is_active=True, opens_at__lte=now).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        )


class Survey(models.Model):
    class Kind(models.TextChoices):
        AFTER_BOOKING = "after_booking", _("After an attended booking")
        PERIODIC = "periodic", _("Periodic survey of an incubator's members")
        AFTER_EVENT = "after_event", _("After an event, to the people checked in")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    kind = models.CharField(_("use"), max_length=20, choices=Kind.choices)
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        help_text=_(
            "Required for a periodic survey. For a survey after bookings, leave empty to "
            "cover every incubator."
        ),
    )
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        help_text=_("Only for this agency's permanences; empty: every agency."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous: answers are not linked to the person who gave them."),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    valid_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"), default=30, help_text=_("After this, the link expires.")
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"), default=2, help_text=_("To those who have not answered yet.")
    )
    reminder_days = models.PositiveSmallIntegerField(_("days between reminders"), default=4)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    notifications = notices_relation("survey")  # its notices in the outbox

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="periodic") | Q(incubator__isnull=False),
                name="survey_periodic_has_incubator",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opening",
            ),
            models.CheckConstraint(condition=Q(valid_days__gte=1), name="survey_valid_days_min"),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1), name="survey_reminder_days_min"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.is_active
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )


class Section(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_suggestions = models.BooleanField(
        _("suggestions section"),
        default=False,
        help_text=_(
            "Free-text answers here are suggestions: agencies see them and mark them handled."
        ),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.survey} · {self.title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1 to 5")
        NPS = "nps", _("Recommendation 0 to 10 (NPS)")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        TEXT = "text", _("Free text")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    low_label = models.CharField(
        _("label of the lowest value"), max_length=60, blank=True, help_text=_("e.g. Not at all")
    )
    high_label = models.CharField(
        _("label of the highest value"), max_length=60, blank=True, help_text=_("e.g. Very")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "section", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    label = models.CharField(_("label"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Invitation(models.Model):
    """One person asked about one agency (and, after a booking, its advisor), or about an
    event they attended (its organising agency or incubator, if any)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    # Empty for a guest of an event (a registration without an account).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    # Empty only after an event the hub organised (no agency, no incubator).
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    advisor = models.ForeignKey(
        "incubators.Advisor",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    # After an event: the registration of the person who came (a guest's is their only name).
    registration = models.OneToOneField(
        "events.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitation",
    )
    booking = models.OneToOneField(
        "permanences.Booking",
        verbose_name=_("booking"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitation",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "agency"],
                condition=Q(booking__isnull=True, event__isnull=True),
                name="invitation_one_per_survey_person_agency",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(event__isnull=False),
                name="invitation_one_per_event_person",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="invitation_expires_later"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(registration__isnull=False),
                name="invitation_has_a_person",
            ),
        ]
        indexes = [models.Index(fields=["survey", "user"], name="invitation_survey_user_idx")]

    def __str__(self) -> str:
        person = self.user if self.user_id else self.registration
        return f"{self.survey} → {person} ({self.agency or self.event})"


class Response(models.Model):
    """The answers to one invitation, saved at once. For an anonymous survey the person
    is not recorded; the invitation only knows that it was answered."""

    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="response",
    )
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    # Copied from the invitation, so that results group without joins.
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    advisor = models.ForeignKey(
        "incubators.Advisor",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    # The mean of the 1-5 ratings and the 0-10 recommendation, for the results.
    satisfaction = models.FloatField(_("satisfaction"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("recommendation"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["survey", "submitted_at"], name="response_survey_date_idx"),
            models.Index(fields=["agency", "submitted_at"], name="response_agency_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="response_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10), name="response_nps_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.agency} · {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    choices = models.ManyToManyField(Choice, verbose_name=_("choices"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0, number__lte=10),
                name="answer_number_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.number if self.number is not None else self.text}"


class Suggestion(models.Model):
    """A free-text answer of a Suggestions section, for the agency to act on."""

    response = models.OneToOneField(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="suggestion",
    )
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    # Copied from the response, so that the list filters and sorts without joins.
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    advisor = models.ForeignKey(
        "incubators.Advisor",
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("suggestion"))
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="suggestion_agency_idx"),
            models.Index(fields=["created_at"], name="suggestion_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True, handled_by__isnull=True)
                | Q(handled_at__isnull=False),
                name="suggestion_handled_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DailyResult(models.Model):
    """The results' counters of one day in Brussels, for one survey and one (agency,
    incubator, advisor): the invitations sent that day, and the responses given that day
    with their satisfaction, recommendation and 1-5 ratings. The services keep them in
    the transaction that creates or deletes the rows counted (services.results_count);
    `survey_results_rebuild` recomputes them all from those rows. The keys are plain
    numbers, 0 for none, so that a unique constraint covers every combination."""

    day = models.DateField(_("day"))
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+"
    )
    agency_key = models.PositiveIntegerField(_("agency"), default=0)
    incubator_key = models.PositiveIntegerField(_("incubator"), default=0)
    advisor_key = models.PositiveIntegerField(_("advisor"), default=0)
    invitations = models.IntegerField(default=0)
    responses = models.IntegerField(default=0)
    satisfaction_sum = models.FloatField(default=0)
    satisfaction_count = models.IntegerField(default=0)
    promoters = models.IntegerField(default=0)
    passives = models.IntegerField(default=0)
    detractors = models.IntegerField(default=0)
    rated_1 = models.IntegerField(default=0)
    rated_2 = models.IntegerField(default=0)
    rated_3 = models.IntegerField(default=0)
    rated_4 = models.IntegerField(default=0)
    rated_5 = models.IntegerField(default=0)

    COUNTERS = (
        "invitations",
        "responses",
        "satisfaction_sum",
        "satisfaction_count",
        "promoters",
        "passives",
        "detractors",
        "rated_1",
        "rated_2",
        "rated_3",
        "rated_4",
        "rated_5",
    )
    KEY = ("day", "survey", "agency_key", "incubator_key", "advisor_key")

    class Meta:
        verbose_name = _("daily result")
        verbose_name_plural = _("daily results")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "survey", "agency_key", "incubator_key", "advisor_key"],
                name="daily_result_one_per_key",
            ),
            models.CheckConstraint(
                condition=Q(
                    invitations__gte=0,
                    responses__gte=0,
                    satisfaction_sum__gte=0,
                    satisfaction_count__gte=0,
                    promoters__gte=0,
                    passives__gte=0,
                    detractors__gte=0,
                    rated_1__gte=0,
                    rated_2__gte=0,
                    rated_3__gte=0,
                    rated_4__gte=0,
                    rated_5__gte=0,
                ),
                name="daily_result_counts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.day}"
