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

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.is_staff and self.role == Role.COORDINATOR
