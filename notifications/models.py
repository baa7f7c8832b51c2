from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message someone must receive, recorded in the same transaction as the change
    that calls for it (an outbox). The notifications issue sends them; the unique key
    makes recording the same notice twice a no-op."""

    class Kind(models.TextChoices):
        BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmed")
        BOOKING_CANCELLED_BY_USER = (
            "booking_cancelled_by_user",
            _("Booking cancelled by the entrepreneur"),
        )
        BOOKING_CANCELLED_BY_STAFF = (
            "booking_cancelled_by_staff",
            _("Booking cancelled by the organisers"),
        )
        BOOKING_RESCHEDULED = "booking_rescheduled", _("Booking rescheduled")
        NEED_ROUTED = "need_routed", _("New need for the agency")
        NEED_UPDATED = "need_updated", _("Need status changed")
        NEED_ANSWERED = "need_answered", _("Answer to a need")
        BOOKING_REMINDER = "booking_reminder", _("Reminder before a booking")
        BOOKING_SECOND_REMINDER = "booking_second_reminder", _("Last reminder before a booking")
        ADVISOR_AGENDA = "advisor_agenda", _("Advisor's agenda for the next day")
        NEEDS_OVERDUE_DIGEST = "needs_overdue_digest", _("Daily digest of overdue needs")
        PERMANENCES_WEEKLY_DIGEST = (
            "permanences_weekly_digest",
            _("Weekly digest of the coming permanences"),
        )
        SURVEY_INVITATION = "survey_invitation", _("Survey invitation")
        SURVEY_REMINDER = "survey_reminder", _("Survey reminder")

    # Optional mail (digests, surveys): the recipient can switch it off (a user
    # preference, also reachable through the List-Unsubscribe header).
    DIGEST_PREFERENCE = {
        Kind.NEEDS_OVERDUE_DIGEST: "digest_needs",
        Kind.PERMANENCES_WEEKLY_DIGEST: "digest_permanences",
        Kind.SURVEY_INVITATION: "survey_invitations",
        Kind.SURVEY_REMINDER: "survey_invitations",
    }

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("No longer relevant")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    booking = models.ForeignKey(
        "permanences.Booking",
        verbose_name=_("booking"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    routed_need = models.ForeignKey(
        "needs.RoutedNeed",
        verbose_name=_("routed need"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # The survey an invitation or reminder is about (one email lists all of the
    # person's open invitations to that survey).
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    key = models.CharField(_("unique key"), max_length=200, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Set by the claim that takes a batch, so the worker reads back exactly its own rows.
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["state", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["claim_token"], name="notification_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
