from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry


class NotificationQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> "NotificationQuerySet":
        return self.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)


class Notification(models.Model):
    """One message someone must receive, recorded in the same transaction as the change
    that calls for it (an outbox); a worker sends it (sending.py). The unique key
    makes recording the same notice twice a no-op."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("No longer relevant")
        FAILED = "failed", _("Failed")

    # The kinds are declared by the apps (notifications.registry); a callable, so a new
    # kind needs no migration here.
    kind = models.CharField(_("kind"), max_length=40, choices=registry.kind_choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # What the notice is about (a booking, a routed need, a survey...), whatever app owns
    # it. The owning model declares a GenericRelation, so deleting it deletes its notices.
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("about (type)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
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

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["state", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["claim_token"], name="notification_claim_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def notice_kind(self) -> registry.NoticeKind:
        return registry.kind(self.kind)


def notices_relation(query_name: str) -> GenericRelation:
    """The field a model that notices are about declares (`notifications =
    notices_relation("booking")`): deleting it deletes its notices, and
    `Notification.objects.filter(booking=…)` reads them."""
    return GenericRelation(
        Notification,
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name=query_name,
    )
