import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.dates import BRUSSELS
from notifications.models import notices_relation

# Reminders are planned at most a week ahead (the planner looks no further).
MAX_REMINDER_HOURS = 24 * 7


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class PermanenceSchedule(models.Model):
    """An agency's weekly presence at an incubator: the rule slots are generated from."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members of the incubator only")
        REGISTERED = "registered", _("Every registered entrepreneur")

    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    advisors = models.ManyToManyField(
        "incubators.Advisor",
        verbose_name=_("advisors"),
        blank=True,
        related_name="schedules",
        help_text=_("Leave empty if any advisor of the agency may hold it."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(480)],
    )
    capacity = models.PositiveSmallIntegerField(
        _("places per slot"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("1 for a one-to-one meeting, more for a group session."),
    )
    every_n_weeks = models.PositiveSmallIntegerField(
        _("every N weeks"), default=1, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    languages = models.ManyToManyField(
        "incubators.Language", verbose_name=_("languages offered"), related_name="schedules"
    )
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    meeting_url = models.URLField(_("meeting link"), blank=True)
    audience = models.CharField(
        _("open to"), max_length=12, choices=Audience.choices, default=Audience.MEMBERS
    )
    booking_opens_days = models.PositiveSmallIntegerField(
        _("booking opens (days ahead)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice to book (hours)"), default=2, validators=[MaxValueValidator(24 * 14)]
    )
    cancel_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice to cancel (hours)"), default=12, validators=[MaxValueValidator(24 * 14)]
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("active bookings per entrepreneur with this agency"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMINDER_HOURS)],
        help_text=_("The entrepreneur is reminded this long before the meeting."),
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        _("second reminder (hours before)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REMINDER_HOURS)],
        help_text=_("Optional, for example 2: a last reminder shortly before the meeting."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("permanence schedule")
        verbose_name_plural = _("permanence schedules")
        ordering = ["incubator__name", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="schedule_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="schedule_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="schedule_weekday_range"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="schedule_capacity_positive"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10), name="schedule_slot_minutes_min"
            ),
            models.CheckConstraint(
                condition=Q(every_n_weeks__gte=1), name="schedule_every_n_weeks_positive"
            ),
            models.CheckConstraint(
                condition=Q(mode="on_site") | ~Q(meeting_url=""), name="schedule_online_has_link"
            ),
            models.CheckConstraint(
                condition=Q(reminder_hours__gte=1, reminder_hours__lte=MAX_REMINDER_HOURS),
                name="schedule_reminder_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(second_reminder_hours__isnull=True)
                | Q(second_reminder_hours__gte=1, second_reminder_hours__lt=F("reminder_hours")),
                name="schedule_second_reminder_after_first",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.agency} @ {self.incubator} · {self.get_weekday_display()} "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        )

    def clean(self):
        """The rules of the row, said at the field they concern: the constraints above
        enforce them, but a violated constraint only names itself. The rules involving
        advisors or other schedules are in `permanences.schedules`."""
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The permanence must end after it starts.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end of validity must not precede its start.")
        if self.mode == self.Mode.ONLINE and not self.meeting_url:
            errors["meeting_url"] = _("An online permanence needs a meeting link.")
        if (
            self.second_reminder_hours is not None
            and self.reminder_hours is not None
            and self.second_reminder_hours >= self.reminder_hours
        ):
            errors["second_reminder_hours"] = _(
                "The second reminder must come after the first one: give fewer hours."
            )
        if errors:
            raise ValidationError(errors)


class Closure(models.Model):
    """Days without permanences: an incubator closed, an agency away, or both."""

    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Empty: every incubator."),
    )
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Empty: every agency."),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until (included)"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="closure_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date} – {self.end_date}: {self.reason}"


class Slot(models.Model):
    """One bookable time of a permanence, materialised from its schedule."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CANCELLED = "cancelled", _("Cancelled")

    schedule = models.ForeignKey(
        PermanenceSchedule,
        verbose_name=_("schedule"),
        on_delete=models.PROTECT,
        related_name="slots",
    )
    # Copied from the schedule so the slot list filters without joins.
    agency = models.ForeignKey(
        "incubators.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="slots",
    )
    incubator = models.ForeignKey(
        "incubators.Incubator",
        verbose_name=_("incubator"),
        on_delete=models.PROTECT,
        related_name="slots",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The booking window of the schedule, in absolute time: the list shows a slot between
    # these two instants, and the booking service refuses it outside them.
    bookable_from = models.DateTimeField(_("bookable from"))
    bookable_until = models.DateTimeField(_("bookable until"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked_count = models.PositiveSmallIntegerField(_("places taken"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    off_schedule = models.BooleanField(
        _("no longer matches its schedule"),
        default=False,
        help_text=_("The schedule changed but this slot has bookings: the coordinator settles it."),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "starts_at"], name="slot_unique_per_schedule_time"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
            # The last line of defence against overbooking: the counter the booking service
            # increments can never pass the capacity.
            models.CheckConstraint(
                condition=Q(booked_count__lte=F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="slot_status_start_idx"),
            models.Index(fields=["status", "bookable_until"], name="slot_status_bookable_idx"),
            models.Index(fields=["agency", "starts_at"], name="slot_agency_start_idx"),
            models.Index(fields=["incubator", "starts_at"], name="slot_incubator_start_idx"),
        ]

    def __str__(self) -> str:
        # In Brussels, where the permanence happens: a stored datetime comes back in UTC.
        starts_at = self.starts_at.astimezone(BRUSSELS)
        return f"{self.agency} @ {self.incubator} · {starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked_count, 0)


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Booking.ACTIVE_STATUSES)


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    ACTIVE_STATUSES = ("confirmed", "attended", "no_show")

    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entrepreneur"),
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    company = models.ForeignKey(
        "incubators.Company",
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )
    # Copied from the slot: the overlap constraint compares a person's bookings by time.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    category = models.ForeignKey(
        "incubators.NeedCategory",
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    topic = models.TextField(_("what you want to discuss"), max_length=1000)
    language = models.CharField(_("language"), max_length=8)
    consent_share_profile = models.BooleanField(_("profile shared with the agency"), default=False)
    # The calendar event: a reschedule keeps the uid and raises the sequence.
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    rescheduled_from = models.OneToOneField(
        "self",
        verbose_name=_("rescheduled from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_to",
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("attendance marked at"), null=True, blank=True)

    notifications = notices_relation("booking")  # its notices in the outbox

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status__in=["confirmed", "attended", "no_show"]),
                name="booking_one_active_per_slot_and_user",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "cancelled", "attended", "no_show"]),
                name="booking_status_known",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="booking_cancelled_has_time",
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_at"], name="booking_user_start_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.slot}"

    def get_absolute_url(self) -> str:
        return reverse("permanences:booking_detail", kwargs={"pk": self.pk})

    @property
    def cancel_deadline(self):
        """Until when the entrepreneur may cancel or move it online (the schedule's
        notice); after that, they contact the agency."""
        return self.starts_at - datetime.timedelta(hours=self.slot.schedule.cancel_notice_hours)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class CalendarFeed(models.Model):
    """A private, revocable address a person subscribes to in their calendar app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
