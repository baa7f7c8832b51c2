import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Length, Mod, Substr
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .validators import enterprise_number_format, validate_enterprise_number


class Commune(models.TextChoices):
    """The 19 municipalities of the Brussels-Capital Region."""

    ANDERLECHT = "anderlecht", _("Anderlecht")
    AUDERGHEM = "auderghem", _("Auderghem")
    BERCHEM = "berchem-sainte-agathe", _("Berchem-Sainte-Agathe")
    BRUXELLES = "bruxelles", _("City of Brussels")
    ETTERBEEK = "etterbeek", _("Etterbeek")
    EVERE = "evere", _("Evere")
    FOREST = "forest", _("Forest")
    GANSHOREN = "ganshoren", _("Ganshoren")
    IXELLES = "ixelles", _("Ixelles")
    JETTE = "jette", _("Jette")
    KOEKELBERG = "koekelberg", _("Koekelberg")
    MOLENBEEK = "molenbeek-saint-jean", _("Molenbeek-Saint-Jean")
    SAINT_GILLES = "saint-gilles", _("Saint-Gilles")
    SAINT_JOSSE = "saint-josse-ten-noode", _("Saint-Josse-ten-Noode")
    SCHAERBEEK = "schaerbeek", _("Schaerbeek")
    UCCLE = "uccle", _("Uccle")
    WATERMAEL = "watermael-boitsfort", _("Watermael-Boitsfort")
    WOLUWE_LAMBERT = "woluwe-saint-lambert", _("Woluwe-Saint-Lambert")
    WOLUWE_PIERRE = "woluwe-saint-pierre", _("Woluwe-Saint-Pierre")


class Language(models.Model):
    """A language spoken at a place or by an advisor (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Incubator(models.Model):
    class Kind(models.TextChoices):
        INCUBATOR = "incubator", _("Incubator")
        COWORKING = "coworking", _("Coworking space")
        ACCELERATOR = "accelerator", _("Accelerator")
        FABLAB = "fablab", _("Fab lab")
        BUSINESS_CENTRE = "business_centre", _("Business centre")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INCUBATOR)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=4)
    commune = models.CharField(_("municipality"), max_length=30, choices=Commune.choices)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(50.75), MaxValueValidator(50.95)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(4.20), MaxValueValidator(4.50)],
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="incubators"
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_incubators",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("incubator or coworking space")
        verbose_name_plural = _("incubators and coworking spaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=50.75, latitude__lte=50.95),
                name="incubator_latitude_in_brussels",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=4.20, longitude__lte=4.50),
                name="incubator_longitude_in_brussels",
            ),
            models.CheckConstraint(
                condition=Q(postal_code__regex=r"^1[0-2][0-9]{2}$"),
                name="incubator_postal_code_brussels",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("incubators:incubator_detail", kwargs={"slug": self.slug})

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.get_commune_display()}"


class Agency(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=40)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    color = models.CharField(
        _("colour"),
        max_length=7,
        default="#0d6efd",
        help_text=_("A hex colour for the agency's badge, e.g. #0d6efd."),
    )
    needs_ack_hours = models.PositiveSmallIntegerField(
        _("time to acknowledge a need (hours)"),
        default=48,
        help_text=_("A routed need not acknowledged within this time is flagged overdue."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["order", "short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="agency_color_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("incubators:agency_detail", kwargs={"slug": self.slug})


class NeedCategory(models.Model):
    """What an entrepreneur can need help with (a topic): the directory's services answer
    categories, bookings are about one, needs are routed by them."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon"),
        max_length=40,
        blank=True,
        help_text=_("A Bootstrap Icons name, e.g. 'cash-coin'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A theme of the Region's innovation journeys (digitalisation, circular economy,
    social innovation): services, events and calls are tagged with it, and each theme has
    a public page gathering them."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon"),
        max_length=40,
        blank=True,
        help_text=_("A Bootstrap Icons name, e.g. 'recycle'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("innovation theme")
        verbose_name_plural = _("innovation themes")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """An agency's public catalogue entry."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=150)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    categories = models.ManyToManyField(
        NeedCategory,
        verbose_name=_("need categories answered"),
        blank=True,
        related_name="services",
    )
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("innovation themes"),
        blank=True,
        related_name="services",
    )
    url = models.URLField(_("more information"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["agency__order", "order", "id"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} · {self.name}"


class Advisor(models.Model):
    """A member of an agency's staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="advisor_profile",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="advisors"
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="advisors"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        ordering = ["agency__order", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency.short_name})"


class Company(models.Model):
    class Sector(models.TextChoices):
        ICT = "ict", _("Digital and ICT")
        HEALTH = "health", _("Health and life sciences")
        CLEANTECH = "cleantech", _("Cleantech and energy")
        CIRCULAR = "circular", _("Circular economy")
        RETAIL = "retail", _("Retail and commerce")
        FOOD = "food", _("Food and hospitality")
        CREATIVE = "creative", _("Creative and media")
        SERVICES = "services", _("Business services")
        INDUSTRY = "industry", _("Industry and construction")
        FINANCE = "finance", _("Finance and insurance")
        SOCIAL = "social", _("Social economy")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PRE_SEED = "pre_seed", _("Starting (pre-seed)")
        EARLY = "early", _("Early stage (first customers)")
        GROWTH = "growth", _("Growth")
        SCALE_UP = "scale_up", _("Scale-up")

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country of registration"), default="BE")
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=10,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Belgian companies: the KBO/BCE number, e.g. 0417.497.106."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what the company does"), blank=True)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people"), blank=True, related_name="companies"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="company_enterprise_number_unique",
            ),
            # A Belgian company has a valid enterprise number; a foreign one has none.
            models.CheckConstraint(
                condition=(Q(country="BE") & ~Q(enterprise_number=""))
                | (~Q(country="BE") & Q(enterprise_number="")),
                name="company_enterprise_number_iff_belgian",
            ),
            models.CheckConstraint(
                condition=Q(enterprise_number="")
                | (
                    Q(Exact(Length("enterprise_number"), 10))
                    & Q(
                        Exact(
                            Mod(
                                Cast(Substr("enterprise_number", 1, 8), models.BigIntegerField()),
                                Value(97),
                            )
                            + Cast(Substr("enterprise_number", 9, 2), models.IntegerField()),
                            Value(97),
                        )
                    )
                ),
                name="company_enterprise_number_mod97",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def enterprise_number_display(self) -> str:
        return enterprise_number_format(self.enterprise_number)


class MembershipQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date | None = None) -> "MembershipQuerySet":
        """Memberships in force on `on` (today in Brussels by default)."""
        return self.filter(Membership.current_q(on=on))


class Membership(models.Model):
    """A company's membership of an incubator, confirmed by its manager or the coordinator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Declined")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="memberships"
    )
    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubator"), on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("member since"))
    end = models.DateField(_("member until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["company", "incubator"],
                condition=Q(status__in=["pending", "confirmed"], end__isnull=True),
                name="membership_one_open_per_company_incubator",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "rejected"]),
                name="membership_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} @ {self.incubator}"

    @staticmethod
    def current_q(*, on: datetime.date | None = None, prefix: str = "") -> Q:
        """The one rule of a current membership: confirmed, started on or before `on`,
        not ended before it. `prefix` reads it through a relation ("memberships")."""
        on = on or timezone.localdate()
        p = f"{prefix}__" if prefix else ""
        return Q(**{f"{p}status": "confirmed", f"{p}start__lte": on}) & (
            Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": on})
        )


class CompanyJoinRequest(models.Model):
    """A person's request to be listed at a company already registered. Its enterprise
    number is public, so typing it proves nothing: the person gets nothing of the company
    (its memberships, members-only permanences) until someone who speaks for it approves
    (one of its people, a manager of an incubator it is a member of, or the coordinator).
    Approval adds the person to `Company.people`, the one list everything else reads."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="company_join_requests",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to join a company")
        verbose_name_plural = _("requests to join a company")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"],
                condition=Q(status="pending"),
                name="company_join_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "refused", "withdrawn"]),
                name="company_join_request_status_known",
            ),
            # Decided (or withdrawn) exactly when it is no longer pending.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="company_join_request_decided_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.company}"


class Consent(models.Model):
    """A person's agreement that an agency receives their data for one purpose: who, which
    agency, what for, when, and which version of the text they were shown. One is active
    (not ended) per person, agency and purpose; withdrawing ends it, and the apps that
    share the data stop sharing it at once (`incubators.signals.consent_withdrawn`)."""

    class Purpose(models.TextChoices):
        BOOKING_PROFILE = "booking_profile", _("your profile on your bookings")
        NEED = "need", _("your needs and their messages")

    class EndReason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("withdrawn")
        REPLACED = "replaced", _("replaced by a newer text")
        ERASED = "erased", _("account deleted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("version of the text shown"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("ended because"), max_length=12, choices=EndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "purpose"],
                condition=Q(ended_at__isnull=True),
                name="consent_one_active_per_person_agency_purpose",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=["booking_profile", "need"]),
                name="consent_purpose_known",
            ),
            # Ended exactly when it says why.
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | Q(ended_at__isnull=False, end_reason__in=["withdrawn", "replaced", "erased"]),
                name="consent_ended_iff_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.agency.short_name}: {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
