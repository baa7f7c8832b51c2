import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.models import notices_relation


class Need(models.Model):
    """What an entrepreneur needs help with. Shared with agencies only with consent."""

    class Urgency(models.TextChoices):
        LOW = "low", _("When you can")
        NORMAL = "normal", _("Within a few weeks")
        HIGH = "high", _("Urgent")

    class Source(models.TextChoices):
        PROFILE = "profile", _("Declared by the entrepreneur")
        BOOKING = "booking", _("While booking a permanence")
        ASK = "ask", _("Ask a specialist")
        COORDINATOR = "coordinator", _("Recorded by the coordinator")
        IMPORT = "import", _("Imported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entrepreneur"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    company = models.ForeignKey(
        "incubators.Company",
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    category = models.ForeignKey(
        "incubators.NeedCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    description = models.TextField(_("what you need"), max_length=3000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    consent = models.BooleanField(_("shared with the agencies"), default=False)
    consent_changed_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.PROFILE
    )
    booking = models.ForeignKey(
        "permanences.Booking",
        verbose_name=_("booking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency__in=["low", "normal", "high"]), name="need_urgency_known"
            ),
        ]
        indexes = [
            models.Index(fields=["category", "incubator"], name="need_category_incubator_idx")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("needs:need_detail", kwargs={"pk": self.pk})


class RoutingRule(models.Model):
    """Which agencies answer a category of need, optionally narrowed. A rule without a
    category is a fallback, used when no category rule matches."""

    category = models.ForeignKey(
        "incubators.NeedCategory",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        help_text=_("Empty: a fallback for needs no other rule matches."),
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("only at this incubator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
    )
    stage = models.CharField(_("only at this stage"), max_length=20, blank=True)
    sector = models.CharField(_("only in this sector"), max_length=20, blank=True)
    agencies = models.ManyToManyField(
        "incubators.Agency", verbose_name=_("routed to"), related_name="routing_rules"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__order", "pk"]

    def __str__(self) -> str:
        return str(self.category or _("Fallback"))

    @property
    def specificity(self) -> int:
        return sum(bool(x) for x in (self.category_id, self.incubator_id, self.stage, self.sector))


class RoutedNeedQuerySet(models.QuerySet):
    def overdue(self, now: datetime.datetime | None = None) -> "RoutedNeedQuerySet":
        return self.filter(RoutedNeed.overdue_q(now))


class RoutedNeed(models.Model):
    """A need in one agency's inbox, and what became of it there."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        # "Declined" alone is also a membership request's status (feminine in French).
        DECLINED = "declined", pgettext_lazy("need status", "Declined")
        TRANSFERRED = "transferred", _("Transferred")

    OPEN_STATUSES = ("new", "acknowledged", "in_progress")
    # The Bootstrap badge of each status, wherever a status is shown.
    BADGES = {
        "new": "text-bg-primary",
        "acknowledged": "text-bg-info",
        "in_progress": "text-bg-info",
        "resolved": "text-bg-success",
    }

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="routings"
    )
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="routed_needs",
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.NEW
    )
    # A copy of the need's consent, so an agency's inbox needs no join to respect it;
    # services.need_set_consent keeps the two in step.
    shared = models.BooleanField(_("shared by the entrepreneur"), default=True)
    assigned_to = models.ForeignKey(
        "incubators.Advisor",
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_needs",
    )
    ack_due_at = models.DateTimeField(_("to acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("transferred from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers",
    )
    created_at = models.DateTimeField(_("routed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    notifications = notices_relation("routed_need")  # its notices in the outbox

    objects = RoutedNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("routed need")
        verbose_name_plural = _("routed needs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "agency"],
                condition=Q(status__in=["new", "acknowledged", "in_progress"]),
                name="routed_need_one_open_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "new",
                        "acknowledged",
                        "in_progress",
                        "resolved",
                        "declined",
                        "transferred",
                    ]
                ),
                name="routed_need_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "acknowledged", "in_progress"])
                | Q(closed_at__isnull=False),
                name="routed_need_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "shared", "status", "created_at"], name="routed_inbox_status_idx"
            ),
            models.Index(
                fields=["agency", "shared", "created_at"], name="routed_inbox_created_idx"
            ),
            # The inbox's first page: its open needs, newest first.
            models.Index(
                fields=["agency", "-created_at", "-id"],
                condition=Q(shared=True, status__in=["new", "acknowledged", "in_progress"]),
                name="routed_inbox_open_idx",
            ),
            # The overdue count, an index-only scan of the shared needs still new.
            models.Index(
                fields=["agency", "ack_due_at"],
                condition=Q(shared=True, status="new"),
                name="routed_inbox_new_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.need}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def status_badge(self) -> str:
        return self.BADGES.get(self.status, "text-bg-secondary")

    # The one rule of an overdue need: still new after the agency's time to acknowledge.
    @staticmethod
    def overdue_q(now: datetime.datetime | None = None) -> Q:
        return Q(status="new", ack_due_at__lt=now or timezone.now())

    @staticmethod
    def is_overdue_at(
        *, status: str, ack_due_at: datetime.datetime, now: datetime.datetime
    ) -> bool:
        return status == "new" and ack_due_at < now

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(
            status=self.status, ack_due_at=self.ack_due_at, now=timezone.now()
        )


class InboxCount(models.Model):
    """How many of an agency's routed needs, still shared, are in a status: the inbox's
    counts without counting its rows. Database triggers on needs_routedneed keep it
    (migration 0009), whatever writes the rows, in the writer's transaction;
    services.inbox_counts_rebuild recounts."""

    agency = models.ForeignKey(
        "incubators.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=14, choices=RoutedNeed.Status.choices)
    total = models.IntegerField(_("routed needs"), default=0)

    class Meta:
        verbose_name = _("inbox count")
        verbose_name_plural = _("inbox counts")
        constraints = [
            models.UniqueConstraint(fields=["agency", "status"], name="inbox_count_one_per_status"),
            models.CheckConstraint(condition=Q(total__gte=0), name="inbox_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.status}: {self.total}"


class RoutedNeedEvent(models.Model):
    """The history of a routed need: every step, who, when, what the system did (a code
    and its values, put in words in the reader's language) and what a person wrote."""

    class Code(models.TextChoices):
        ROUTED_BY_RULES = "routed_by_rules", _("Routed by the rules.")
        DECLARED_WHILE_BOOKING = "declared_while_booking", _("Declared while booking.")
        ROUTED_BY_COORDINATOR = "routed_by_coordinator", _("Routed by the coordinator.")
        TRANSFERRED_FROM = "transferred_from", _("Transferred from %(agency)s.")
        TRANSFERRED_TO = "transferred_to", _("Transferred to %(agency)s.")
        ANSWERED = "answered", _("Answered.")
        ASSIGNED = "assigned", _("Assigned to %(advisor)s.")
        UNASSIGNED = "unassigned", _("Unassigned.")
        SLOTS_OFFERED = "slots_offered", _("Free slots offered (%(count)s).")
        OFFER_TAKEN = "offer_taken", _("Booked an offered slot: %(when)s.")

    routed = models.ForeignKey(
        RoutedNeed, verbose_name=_("routed need"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=14, blank=True)
    to_status = models.CharField(_("to"), max_length=14, blank=True)
    # No `choices`: rewording a message must not need a migration.
    code = models.CharField(_("what happened"), max_length=30, blank=True)
    params = models.JSONField(_("its values"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)  # what a person wrote, as they wrote it
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("routing event")
        verbose_name_plural = _("routing events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @staticmethod
    def _label(status: str) -> str:
        return str(RoutedNeed.Status(status).label) if status in RoutedNeed.Status.values else ""

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)

    @property
    def summary(self) -> str:
        """What the system did, in the language active now (not the one of the moment)."""
        if self.code not in self.Code.values:
            return ""
        text = str(self.Code(self.code).label)
        try:
            return text % self.params if "%(" in text else text
        except (KeyError, TypeError, ValueError):
            return text


class NeedMessage(models.Model):
    """The conversation between an agency and the entrepreneur about a routed need."""

    routed = models.ForeignKey(
        RoutedNeed, verbose_name=_("routed need"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_agency = models.BooleanField(_("from the agency"), default=True)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class SlotOffer(models.Model):
    """One to three free slots an agency offers the entrepreneur for a routed need; the
    entrepreneur books one of them in one click, and the others are no longer needed."""

    routed = models.ForeignKey(
        RoutedNeed, verbose_name=_("routed need"), on_delete=models.CASCADE, related_name="offers"
    )
    slots = models.ManyToManyField(
        "permanences.Slot", verbose_name=_("slots offered"), related_name="+"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    taken_booking = models.ForeignKey(
        "permanences.Booking",
        verbose_name=_("booking made from it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    notifications = notices_relation("slot_offer")  # its notices in the outbox

    class Meta:
        verbose_name = _("slot offer")
        verbose_name_plural = _("slot offers")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.routed} · {self.created_at:%Y-%m-%d}"

    @property
    def is_taken(self) -> bool:
        """Booked from, and that booking not cancelled: a cancelled one frees the offer."""
        booking = self.taken_booking
        return booking is not None and booking.status != booking.Status.CANCELLED
