"""Landing in Brussels: an international start-up's intake and personal landing plan (a
checklist of steps, each answered by the agencies the needs' routing names), the
itineraries that book one permanence of each agency concerned in one go, and the
reference list of partner regions and the Region's relays to the EU institutions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from incubators.models import Company
from notifications.models import notices_relation


class LandingNeed(models.TextChoices):
    """What a founder abroad can ask help with; each is one step of their plan, routed
    as a need of the category `landing.steps.CATEGORY_OF` names."""

    COMPANY = "company", _("Setting up a company in Belgium")
    PERMITS = "permits", _("Residence and work permits for founders and staff")
    SPACE = "space", _("Office or lab space")
    FUNDING = "funding", _("Funding")
    INNOVATION = "innovation", _("Research and innovation grants")
    MARKET = "market", _("Market access and public buyers")
    RECRUITMENT = "recruitment", _("Recruitment")
    EU_CONTACTS = "eu_contacts", _("Contacts in the EU institutions")


NEED_CODES = [code for code, _label in LandingNeed.choices]


class LandingPlan(models.Model):
    """One founder's intake and plan (one per person)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("founder"),
        on_delete=models.CASCADE,
        related_name="landing_plan",
    )
    company_name = models.CharField(_("start-up name"), max_length=200)
    country = CountryField(_("country you come from"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Company.Sector.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Company.Stage.choices)
    team_size = models.PositiveSmallIntegerField(
        _("team size"),
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("Founders and staff, including those who stay abroad."),
    )
    arrival_date = models.DateField(
        _("planned arrival in Brussels"),
        help_text=_("Until then, your meetings are online."),
    )
    about = models.TextField(
        _("about your project"),
        max_length=2000,
        blank=True,
        help_text=_("What you do and why Brussels: the agencies read it with your needs."),
    )
    consent = models.BooleanField(_("needs shared with the agencies"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Moves when a step is ticked or unticked or an itinerary is booked: the coordinator
    # sees plans that have not moved for a while.
    last_progress_at = models.DateTimeField(_("last progress"))

    notifications = notices_relation("landing_plan")

    class Meta:
        verbose_name = _("landing plan")
        verbose_name_plural = _("landing plans")
        ordering = ["arrival_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team_size__gte=1, team_size__lte=10000),
                name="landing_plan_team_size_range",
            ),
            models.CheckConstraint(
                condition=Q(sector__in=[c for c, _l in Company.Sector.choices]),
                name="landing_plan_sector_known",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[c for c, _l in Company.Stage.choices]),
                name="landing_plan_stage_known",
            ),
            # A plan is for a start-up coming to Belgium.
            models.CheckConstraint(condition=~Q(country="BE"), name="landing_plan_from_abroad"),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.user})"

    def get_absolute_url(self) -> str:
        return reverse("landing:plan")


class LandingStep(models.Model):
    """One step of a plan: a need, the agencies that help with it, the need routed to
    them (when the founder shared it), and whether the founder has done it."""

    plan = models.ForeignKey(
        LandingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="steps"
    )
    code = models.CharField(_("step"), max_length=20, choices=LandingNeed.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    category = models.ForeignKey(
        "incubators.NeedCategory",
        verbose_name=_("need category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agencies = models.ManyToManyField(
        "incubators.Agency", verbose_name=_("agencies that help"), blank=True, related_name="+"
    )
    need = models.OneToOneField(
        "needs.Need",
        verbose_name=_("routed need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="landing_step",
    )
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("landing step")
        verbose_name_plural = _("landing steps")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="landing_step_once_per_plan"),
            models.CheckConstraint(condition=Q(code__in=NEED_CODES), name="landing_step_known"),
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class Itinerary(models.Model):
    """A week of meetings booked in one go: one permanence of each agency concerned."""

    plan = models.ForeignKey(
        LandingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="itineraries"
    )
    week = models.DateField(_("week of"), help_text=_("The Monday of the week."))
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    notifications = notices_relation("landing_itinerary")

    class Meta:
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.plan.company_name} · {self.week:%Y-%m-%d}"


class ItineraryItem(models.Model):
    itinerary = models.ForeignKey(
        Itinerary, verbose_name=_("itinerary"), on_delete=models.CASCADE, related_name="items"
    )
    agency = models.ForeignKey(
        "incubators.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    booking = models.OneToOneField(
        "permanences.Booking",
        verbose_name=_("booking"),
        on_delete=models.CASCADE,
        related_name="landing_item",
    )

    class Meta:
        verbose_name = _("meeting of an itinerary")
        verbose_name_plural = _("meetings of an itinerary")
        ordering = ["booking__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["itinerary", "agency"], name="itinerary_one_meeting_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return str(self.booking)


class Relay(models.Model):
    """Whom to contact: a partner region abroad, or one of the Region's official relays
    to the EU institutions."""

    class Kind(models.TextChoices):
        EU_RELAY = "eu_relay", _("Relay to the EU institutions")
        PARTNER_REGION = "partner_region", _("Partner region")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"), blank=True)
    description = models.TextField(_("what they do for you"), blank=True)
    contact = models.CharField(
        _("whom to contact"), max_length=200, blank=True, help_text=_("A service or a role.")
    )
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("partner region or EU relay")
        verbose_name_plural = _("partner regions and EU relays")
        ordering = ["kind", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["eu_relay", "partner_region"]), name="relay_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name
