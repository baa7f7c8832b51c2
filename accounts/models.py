from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    ADVISOR = "advisor", _("Advisor")
    INCUBATOR_MANAGER = "incubator_manager", _("Incubator manager")
    COORDINATOR = "coordinator", _("Coordinator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.COORDINATOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("Emails, calendar files and surveys are sent in this language."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.ENTREPRENEUR
    )
    # Digests are not essential: each can be switched off (profile page or the
    # List-Unsubscribe link of the digest itself).
    digest_needs = models.BooleanField(
        _("daily digest of overdue needs"),
        default=True,
        help_text=_("For agency staff: each morning, the needs waiting too long for an answer."),
    )
    digest_permanences = models.BooleanField(
        _("weekly digest of the coming permanences"),
        default=True,
        help_text=_("For incubator managers: each Monday, the permanences of the week."),
    )
    survey_invitations = models.BooleanField(
        _("satisfaction surveys"),
        default=True,
        help_text=_("Short surveys after a meeting and about the agencies at your incubator."),
    )
    # Set when the person deleted their account: the row stays (inactive, nothing personal
    # left) so that bookings, attendance and survey counts still add up.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(language__in=["fr", "nl", "en"]), name="user_language_known"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_known"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        # Every page that names a person (an agency's inbox, an advisor's agenda, the
        # admin) says "Erased person" in the reader's language, never an address.
        if self.erased_at is not None:
            return str(_("Erased person"))
        return super().get_full_name()

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.is_staff and self.role == Role.COORDINATOR


class PersonalDataEvent(models.Model):
    """Accountability: who asked for, exported or erased personal data, and when."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (a person downloaded their data)")
        ERASURE = "erasure", _("Erasure (a person deleted their account)")
        EXPORT = "export", _("Export by staff")
        RETENTION = "retention", _("Retention (old data anonymised)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("about"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=300)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data event")
        verbose_name_plural = _("personal data log")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["access", "erasure", "export", "retention"]),
                name="personal_data_event_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.what}"
