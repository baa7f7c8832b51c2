"""The community directory ("Interesting companies"): a member company's public profile,
which its own people write and publish, and the messages visitors send it through the
portal (its email address is never shown; the message goes by email to its people, with
the sender's address to answer to).

Invariants with a database constraint: one profile per company, a unique slug that no
other page of /companies/ uses, published only with its publication date, texts of a
bounded length, a message with a subject and a body.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from incubators.models import Company
from notifications.models import notices_relation

from .uploads import logo_path, private_storage

# Paths under /companies/ that belong to other pages: no profile may take them.
RESERVED_SLUGS = ("join-requests",)
TAGLINE_MAX = 160
DESCRIPTION_MAX = 3000
SUBJECT_MAX = 150
BODY_MAX = 4000


class LookingFor(models.TextChoices):
    """What a company looks for (several at once); each is a boolean of the profile,
    `seeks_<value>`, so a filter is an indexed equality."""

    PARTNERS = "partners", _("Partners")
    TALENT = "talent", _("Talent")
    INVESTMENT = "investment", _("Investment")
    PILOTS = "pilots", _("Pilot projects")


class CompanyProfileQuerySet(models.QuerySet):
    def published(self) -> "CompanyProfileQuerySet":
        return self.filter(is_published=True)


class CompanyProfile(models.Model):
    """A company's page in the directory, written by its people; visible to others only
    once published."""

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="community_profile",
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    tagline = models.CharField(
        _("in one sentence"),
        max_length=TAGLINE_MAX,
        help_text=_("What the company does, as you would say it to someone you just met."),
    )
    description = models.TextField(
        _("what the company does"),
        max_length=DESCRIPTION_MAX,
        help_text=_("Your product or service, for whom, and where you stand."),
    )
    seeks_partners = models.BooleanField(_("looks for partners"), default=False)
    seeks_talent = models.BooleanField(_("looks for talent"), default=False)
    seeks_investment = models.BooleanField(_("looks for investment"), default=False)
    seeks_pilots = models.BooleanField(_("looks for pilot projects"), default=False)
    looking_for_note = models.CharField(
        _("what exactly you look for"),
        max_length=300,
        blank=True,
        help_text=_("For example: a developer in Brussels, a first hospital for a pilot."),
    )
    logo = models.FileField(
        _("logo"),
        storage=private_storage,
        upload_to=logo_path,
        blank=True,
        help_text=_("PNG, JPEG or WebP, 512 KB at most."),
    )
    contact_enabled = models.BooleanField(
        _("accept messages through the portal"),
        default=True,
        help_text=_(
            "Signed-in visitors can write to your company's people by email; your address "
            "stays hidden until you answer."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CompanyProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profiles")
        ordering = ["company__name"]
        indexes = [models.Index(fields=["is_published", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS) & ~Q(slug=""),
                name="community_profile_slug_free",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="community_profile_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(tagline="") & Q(LessThanOrEqual(Length("tagline"), TAGLINE_MAX)),
                name="community_profile_tagline_length",
            ),
            models.CheckConstraint(
                condition=~Q(description="")
                & Q(LessThanOrEqual(Length("description"), DESCRIPTION_MAX)),
                name="community_profile_description_length",
            ),
        ]

    def __str__(self) -> str:
        return str(self.company)

    def get_absolute_url(self) -> str:
        return reverse("community:detail", kwargs={"slug": self.slug})

    @property
    def logo_url(self) -> str:
        """The logo's address, changing with each new logo (so a cache never shows the
        old one); empty without one."""
        if not self.logo:
            return ""
        version = self.logo.name.rsplit("/", 1)[-1].split(".", 1)[0]
        return f"{reverse('community:logo', kwargs={'slug': self.slug})}?v={version}"

    @property
    def looking_for(self) -> list[str]:
        return [value for value in LookingFor.values if getattr(self, f"seeks_{value}")]

    def looking_for_labels(self) -> list[str]:
        labels = dict(LookingFor.choices)
        return [labels[value] for value in self.looking_for]


class ContactMessage(models.Model):
    """A signed-in visitor's message to a company, sent by email to its people (Reply-To:
    the sender) and kept for abuse handling and the people's right of access."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="community_messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_messages_sent",
    )
    # As the company saw them when it received the message (the account may change later).
    sender_name = models.CharField(_("sender's name"), max_length=300)
    sender_email = models.EmailField(_("sender's email address"))
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    notifications = notices_relation("community_message")

    class Meta:
        verbose_name = _("message to a company")
        verbose_name_plural = _("messages to companies")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject="")
                & ~Q(body="")
                & Q(LessThanOrEqual(Length("body"), BODY_MAX)),
                name="community_message_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.company}: {self.subject}"
