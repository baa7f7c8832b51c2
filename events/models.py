"""Events: networking evenings, info sessions, workshops, conferences and hackathons,
with registration, a fair waiting list and tickets.

Places: a registration *holds a place* when it is confirmed, offered (a freed place
offered to the first of the waiting list, for EVENTS_OFFER_HOURS) or pending approval
(manual approval). `events.services` keeps held places <= capacity under a row lock on
the Event. A guest's registration waiting for its email confirmation (pending_email)
holds no place: only the confirmed email takes one (or joins the waiting list), so an
address typed wrongly or a bot never blocks a seat.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import notices_relation


def ticket_token() -> str:
    return secrets.token_urlsafe(24)


# Words the events' own addresses use after /events/: an event with such a slug could not
# be reached (/events/manage/ is the organiser's list).
RESERVED_SLUGS = ("manage", "checkin", "tickets", "confirm")


def validate_not_reserved_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the site's own addresses: choose another slug."),
            code="reserved_slug",
            params={"slug": value},
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        HACKATHON = "hackathon", _("Hackathon")
        NETWORKING = "networking", _("Networking")
        INFO_SESSION = "info_session", _("Info session")
        WORKSHOP = "workshop", _("Workshop")
        CONFERENCE = "conference", _("Conference")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone (guests too)")
        SIGNED_IN = "signed_in", _("Registered entrepreneurs (signed in)")
        MEMBERS = "members", _("Members of an incubator")

    class Approval(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("Manual (an organiser approves each registration)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, validators=[validate_not_reserved_slug]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The organiser: an agency, an incubator, or the hub itself (both empty).
    organiser_agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("organising agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    organiser_incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("organising incubator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    # Where: an incubator of the directory, an address, an online link (at least one).
    venue = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    languages = models.ManyToManyField(
        "incubators.Language",
        verbose_name=_("languages spoken"),
        blank=True,
        related_name="events",
    )
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Empty: as soon as the event is published."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event starts."),
    )
    audience = models.CharField(
        _("who can register"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )
    audience_incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("members of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members_events",
        help_text=_("Only for events open to the members of one incubator."),
    )
    approval = models.CharField(
        _("approval"), max_length=12, choices=Approval.choices, default=Approval.AUTOMATIC
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    themes = models.ManyToManyField(
        "incubators.Theme",
        verbose_name=_("innovation themes"),
        blank=True,
        related_name="events",
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
        help_text=_("People who manage this event (besides the organiser's staff)."),
    )
    # The calendar event: a change keeps the uid and raises the sequence.
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS), name="event_slug_not_reserved"
            ),
            models.CheckConstraint(
                condition=Q(organiser_agency__isnull=True) | Q(organiser_incubator__isnull=True),
                name="event_one_organiser",
            ),
            models.CheckConstraint(
                condition=Q(venue__isnull=False) | ~Q(address="") | ~Q(online_url=""),
                name="event_has_a_place",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(audience="members", audience_incubator__isnull=False)
                | (~Q(audience="members") & Q(audience_incubator__isnull=True)),
                name="event_members_audience_names_an_incubator",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["hackathon", "networking", "info_session", "workshop", "conference"]
                ),
                name="event_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["everyone", "signed_in", "members"]),
                name="event_audience_known",
            ),
            models.CheckConstraint(
                condition=Q(approval__in=["automatic", "manual"]), name="event_approval_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled"]),
                name="event_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    @property
    def organiser_name(self) -> str:
        if self.organiser_agency_id:
            return str(self.organiser_agency)
        if self.organiser_incubator_id:
            return str(self.organiser_incubator)
        return str(_("hub.brussels"))


class EventSession(models.Model):
    """One time slot of an event (a one-evening event has one; a hackathon several)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.event} {self.starts_at:%Y-%m-%d %H:%M}"


class EventQuestion(models.Model):
    """A question asked when registering (diet, company, what you expect…)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("One choice from a list")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice: one option per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "choice"]), name="event_question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RegistrationQuerySet(models.QuerySet):
    def holding_a_place(self) -> "RegistrationQuerySet":
        return self.filter(status__in=Registration.HOLDING_STATUSES)

    def active(self) -> "RegistrationQuerySet":
        return self.filter(status__in=Registration.ACTIVE_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING_EMAIL = "pending_email", _("Email to confirm")
        PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("Offer expired")

    # These take one of the event's places.
    HOLDING_STATUSES = ("confirmed", "offered", "pending_approval")
    # At most one of these per person and event.
    ACTIVE_STATUSES = ("pending_email", "pending_approval", "confirmed", "waitlisted", "offered")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    # A guest (no account): name and email, the email confirmed before the registration counts.
    guest_name = models.CharField(_("name"), max_length=150, blank=True)
    guest_email = models.EmailField(_("email address"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(
        _("place in the waiting list"), null=True, blank=True
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    token = models.CharField(
        _("ticket code"), max_length=64, unique=True, default=ticket_token, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    notifications = notices_relation("event_registration")  # its notices in the outbox

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_email="")
                | Q(user__isnull=True) & ~Q(guest_email=""),
                name="registration_person_or_guest",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(
                    status__in=[
                        "pending_email",
                        "pending_approval",
                        "confirmed",
                        "waitlisted",
                        "offered",
                    ]
                ),
                name="registration_one_active_per_user",
            ),
            models.UniqueConstraint(
                "event",
                Lower("guest_email"),
                condition=Q(
                    user__isnull=True,
                    status__in=[
                        "pending_email",
                        "pending_approval",
                        "confirmed",
                        "waitlisted",
                        "offered",
                    ],
                ),
                name="registration_one_active_per_guest_email",
            ),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=Q(status="waitlisted"),
                name="registration_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__gte=1)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="registration_position_only_when_waitlisted",
            ),
            models.CheckConstraint(
                condition=Q(status="offered", offer_expires_at__isnull=False)
                | (~Q(status="offered") & Q(offer_expires_at__isnull=True)),
                name="registration_offer_has_an_expiry",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending_email",
                        "pending_approval",
                        "confirmed",
                        "waitlisted",
                        "offered",
                        "cancelled",
                        "refused",
                        "expired",
                    ]
                ),
                name="registration_status_known",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fr", "nl", "en"]), name="registration_language_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("events:ticket", kwargs={"token": self.token})

    @property
    def name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.guest_name

    @property
    def email(self) -> str:
        return self.user.email if self.user_id else self.guest_email

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class GuestNotice(models.Model):
    """An email to a guest (a registration without an account). The outbox of
    `notifications` keys on a user; a guest has none, so their notices wait here, built by
    the same registered builders and sent by a planner the beat runs every minute (and
    queued at once on commit). Recorded in the transaction of the change; the unique key
    records each notice once; a failure is retried with back-off."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="guest_notices",
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("unique key"), max_length=200, unique=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("email to a guest")
        verbose_name_plural = _("emails to guests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="guest_notice_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.registration.guest_email}"
