"""Agency tokens: how an agency's own system calls the API."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubators.models import Advisor, Agency


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
