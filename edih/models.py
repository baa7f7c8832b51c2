"""A start-up's request to the European Digital Innovation Hub (EDIH) to test a technology
before investing in it. The request carries its structured fields and rides on a need
(needs.Need), routed to the EDIH like any need; its outcome is recorded here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TestRequest(models.Model):
    __test__ = False  # not a pytest test class, whatever its name

    class Technology(models.TextChoices):
        AI = "ai", _("Artificial intelligence")
        HPC = "hpc", _("High-performance computing")
        CYBERSECURITY = "cybersecurity", _("Cybersecurity")
        OTHER = "other", _("Another digital technology")

    class Sensitivity(models.TextChoices):
        NONE = "none", _("Public or non-sensitive data")
        CONFIDENTIAL = "confidential", _("Confidential business data")
        PERSONAL = "personal", _("Personal data")
        SPECIAL = "special", _("Sensitive personal data (health, biometrics…)")

    class Timeline(models.TextChoices):
        MONTH = "month", _("Within a month")
        QUARTER = "quarter", _("Within three months")
        HALF_YEAR = "half_year", _("Within six months")
        OPEN = "open", _("No fixed date")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not decided yet")
        TEST_DONE = "test_done", _("Test done")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")
        REFERRED = "referred", _("Referred to another partner")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entrepreneur"),
        on_delete=models.CASCADE,
        related_name="test_requests",
    )
    company = models.ForeignKey(
        "incubators.Company",
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="test_requests",
    )
    # The name as given, kept when the company leaves the directory.
    company_name = models.CharField(_("company name"), max_length=200)
    technology = models.CharField(_("technology"), max_length=20, choices=Technology.choices)
    technology_other = models.CharField(_("which technology"), max_length=200, blank=True)
    goal = models.TextField(_("what you want to learn"), max_length=2000)
    data_available = models.TextField(_("data available"), max_length=2000)
    data_sensitivity = models.CharField(
        _("how sensitive the data is"), max_length=20, choices=Sensitivity.choices
    )
    timeline = models.CharField(_("timeline"), max_length=20, choices=Timeline.choices)
    need = models.OneToOneField(
        "needs.Need",
        verbose_name=_("need"),
        on_delete=models.CASCADE,
        related_name="test_request",
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default="", blank=True
    )
    outcome_note = models.TextField(_("outcome note"), max_length=2000, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("test-before-invest request")
        verbose_name_plural = _("test-before-invest requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(technology__in=["ai", "hpc", "cybersecurity", "other"]),
                name="edih_request_technology_known",
            ),
            models.CheckConstraint(
                condition=~Q(technology="other") | ~Q(technology_other=""),
                name="edih_request_other_technology_named",
            ),
            models.CheckConstraint(
                condition=Q(data_sensitivity__in=["none", "confidential", "personal", "special"]),
                name="edih_request_sensitivity_known",
            ),
            models.CheckConstraint(
                condition=Q(timeline__in=["month", "quarter", "half_year", "open"]),
                name="edih_request_timeline_known",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "test_done", "not_feasible", "referred"]),
                name="edih_request_outcome_known",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_at__isnull=True)
                | (~Q(outcome="") & Q(outcome_at__isnull=False)),
                name="edih_request_outcome_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(company_name=""), name="edih_request_company_named"
            ),
            models.CheckConstraint(
                condition=~Q(goal="") & ~Q(data_available=""),
                name="edih_request_goal_and_data_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} · {self.technology_label}"

    def get_absolute_url(self) -> str:
        return reverse("edih:request_detail", kwargs={"pk": self.pk})

    @property
    def technology_label(self) -> str:
        if self.technology == self.Technology.OTHER and self.technology_other:
            return self.technology_other
        return str(self.get_technology_display())

    @property
    def has_outcome(self) -> bool:
        return bool(self.outcome)
