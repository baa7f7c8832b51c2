"""Agency tokens: how an agency's own system calls the API."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incubators.models import Advisor, Agency
from notifications.models import notices_relation


class AgencyToken(models.Model):
    """A key the coordinator issues to an agency. Only its SHA-256 is kept: the key is
    shown once, when issued. `prefix` (its first characters) tells tokens apart in lists
    and logs without revealing them."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What it is for, e.g. 'CRM synchronisation'.")
    )
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    acts_as = models.ForeignKey(
        Advisor,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "For the write scope: the advisor of the agency recorded as the author of the "
            "changes made with this token (a need's history shows their name)."
        ),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: until revoked.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["agency", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="agency_token_scope_known"
            ),
            models.CheckConstraint(condition=~Q(key_hash=""), name="agency_token_has_a_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.name} ({self.prefix}…)"

    def is_active_at(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def is_active(self) -> bool:
        return self.is_active_at(timezone.now())

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class WebhookEndpoint(models.Model):
    """An address of an agency's own system that is told, signed, of what happens to the
    agency's needs, bookings and surveys (api.webhooks lists the events)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The events it receives (codes of api.events.EVENTS).
    events = models.JSONField(pgettext_lazy("webhooks", "events"), default=list)
    # Shared with the agency to check each delivery's signature (HMAC-SHA256); kept in
    # clear because each delivery is signed with it, shown only when set.
    secret = models.CharField(max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Deliveries given up in a row; at WEBHOOKS_DISABLE_AFTER the endpoint is stopped.
    failures = models.PositiveSmallIntegerField(_("failures in a row"), default=0, editable=False)
    disabled_at = models.DateTimeField(
        _("stopped after failures at"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(pgettext_lazy("webhooks", "registered at"), auto_now_add=True)

    notifications = notices_relation("webhook_endpoint")

    class Meta:
        verbose_name = pgettext_lazy("webhooks", "webhook endpoint")
        verbose_name_plural = pgettext_lazy("webhooks", "webhook endpoints")
        ordering = ["agency", "url"]
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_endpoint_has_secret"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} → {self.url}"


class WebhookDelivery(models.Model):
    """One event to send to one endpoint: an outbox row, recorded in the transaction of
    the change it tells (api.webhooks) and sent by a worker (api.delivery). The body is
    kept as sent, so a delivery sent again is the same event (same id)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=pgettext_lazy("webhooks", "endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(pgettext_lazy("webhooks", "event"), max_length=40)
    event_id = models.UUIDField(_("event id"))
    payload = models.JSONField(_("payload"), default=dict)
    # Whose data the payload holds, if anyone's: erased with their account.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(_("response"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once_per_endpoint"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "delivered", "failed"]),
                name="webhook_delivery_state_known",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["claim_token"], name="webhook_delivery_claim_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint.url}"
