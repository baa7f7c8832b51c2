"""The coordinator's admin: schedules (checked for conflicts, slots regenerated on save),
closures, slots (cancelled with a reason), bookings, and a week at a glance."""

import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from incubators.models import Agency, Incubator

from . import services
from .conflicts import schedule_conflicts, week_conflicts
from .generation import BRUSSELS, GenerationResult, slots_generate
from .models import Booking, CalendarFeed, Closure, PermanenceSchedule, Slot


class CancelReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Everyone booked is told, with this reason."),
    )


def _off_schedule_url(schedule_id: int | None = None) -> str:
    query = {"off_schedule": "1"}
    if schedule_id is not None:
        query["schedule__id__exact"] = str(schedule_id)
    return f"{reverse('admin:permanences_slot_changelist')}?{urlencode(query)}"


def _report_generation(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    result: GenerationResult,
    schedule_id: int | None = None,
) -> None:
    model_admin.message_user(
        request,
        _("Slots: %(created)d created, %(removed)d removed, %(flagged)d flagged to settle.")
        % {"created": result.created, "removed": result.removed, "flagged": result.flagged},
    )
    if result.flagged:
        model_admin.message_user(
            request,
            format_html(
                str(
                    _(
                        "Booked slots that no longer match their schedule, kept: {count}. "
                        '<a href="{url}">Settle them</a>.'
                    )
                ),
                count=result.flagged,
                url=_off_schedule_url(schedule_id),
            ),
            messages.WARNING,
        )


# --- Schedules -------------------------------------------------------------------------


class PermanenceScheduleForm(forms.ModelForm):
    class Meta:
        model = PermanenceSchedule
        fields = [
            "incubator",
            "mode",
            "meeting_url",
            "weekday",
            "start_time",
            "end_time",
            "slot_minutes",
            "every_n_weeks",
            "valid_from",
            "valid_until",
            "is_active",
            "agency",
            "advisors",
            "languages",
            "capacity",
            "audience",
            "booking_opens_days",
            "min_notice_hours",
            "cancel_notice_hours",
            "max_active_bookings",
            "notes",
        ]

    def _value(self, name: str):
        """The submitted value, or the stored one when the field is read-only."""
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name)

    def clean(self):
        cleaned = super().clean()
        start, end = self._value("start_time"), self._value("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The permanence must end after it starts."))
        valid_from, valid_until = self._value("valid_from"), self._value("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The end of validity must not precede its start."))
        if self._value("mode") == PermanenceSchedule.Mode.ONLINE and not self._value("meeting_url"):
            self.add_error("meeting_url", _("An online permanence needs a meeting link."))
        agency = self._value("agency")
        advisors = list(self._value("advisors") or [])
        strangers = [advisor for advisor in advisors if agency and advisor.agency_id != agency.pk]
        if strangers:
            self.add_error(
                "advisors",
                _("These advisors do not work for %(agency)s: %(names)s.")
                % {
                    "agency": agency,
                    "names": ", ".join(
                        advisor.user.get_full_name() or advisor.user.email for advisor in strangers
                    ),
                },
            )
        if not self.errors:
            self._check_conflicts(advisor_ids=[advisor.pk for advisor in advisors])
        return cleaned

    def _check_conflicts(self, *, advisor_ids: list[int]) -> None:
        rule = ["agency", "incubator", "weekday", "start_time", "end_time"]
        rule += ["every_n_weeks", "valid_from", "valid_until", "is_active"]
        candidate = PermanenceSchedule(pk=self.instance.pk, **{n: self._value(n) for n in rule})
        conflicts = schedule_conflicts(schedule=candidate, advisor_ids=advisor_ids)
        if conflicts:
            lines = [
                _("%(schedule)s, first on %(date)s: %(reason)s")
                % {
                    "schedule": conflict.other,
                    "date": formats.date_format(conflict.day, "DATE_FORMAT"),
                    "reason": conflict.reason,
                }
                for conflict in conflicts
            ]
            self.add_error(None, [_("This permanence collides with other permanences:"), *lines])


@dataclass
class _Run:
    """Consecutive slots of one schedule on one day, shown as one line of the week."""

    schedule_id: int
    agency: Agency
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    booked: int
    capacity: int
    cancelled: bool
    conflict: bool


@dataclass
class _Cell:
    day: datetime.date
    runs: list[_Run] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        return any(run.conflict for run in self.runs)

    @property
    def has_open(self) -> bool:
        return any(not run.cancelled for run in self.runs)


def _runs(slots: list[Slot], conflicts: set[int]) -> list[_Run]:
    by_schedule: dict[int, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: s.starts_at):
        by_schedule.setdefault(slot.schedule_id, []).append(slot)
    runs: list[_Run] = []
    for group in by_schedule.values():
        current = None
        for slot in group:
            cancelled = slot.status == Slot.Status.CANCELLED
            if current and current.cancelled == cancelled and current.ends_at == slot.starts_at:
                current.ends_at = slot.ends_at
                current.booked += slot.booked_count
                current.capacity += slot.capacity
                current.conflict = current.conflict or slot.pk in conflicts
                continue
            current = _Run(
                schedule_id=slot.schedule_id,
                agency=slot.agency,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                booked=slot.booked_count,
                capacity=slot.capacity,
                cancelled=cancelled,
                conflict=slot.pk in conflicts,
            )
            runs.append(current)
    return runs


def _week_grid(slots: list[Slot], days: list[datetime.date]) -> list[tuple[Incubator, list[_Cell]]]:
    conflicts = week_conflicts(slots=slots)
    incubators: dict[int, Incubator] = {}
    by_cell: dict[tuple[int, datetime.date], list[Slot]] = {}
    for slot in slots:
        incubators.setdefault(slot.incubator_id, slot.incubator)
        day = timezone.localtime(slot.starts_at, BRUSSELS).date()
        by_cell.setdefault((slot.incubator_id, day), []).append(slot)
    return [
        (
            incubator,
            [_Cell(day, _runs(by_cell.get((incubator.pk, day), []), conflicts)) for day in days],
        )
        for incubator in sorted(incubators.values(), key=lambda i: str(i).casefold())
    ]


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


class DayForm(forms.Form):
    """The query string of the cancel-day view."""

    incubator = forms.ModelChoiceField(queryset=Incubator.objects.all())
    date = forms.DateField(input_formats=["%Y-%m-%d"])


@admin.register(PermanenceSchedule)
class PermanenceScheduleAdmin(admin.ModelAdmin):
    form = PermanenceScheduleForm
    change_list_template = "admin/permanences/permanenceschedule/change_list.html"
    list_display = [
        "incubator",
        "agency",
        "weekday",
        "hours",
        "slot_minutes",
        "capacity",
        "every_n_weeks",
        "valid_from",
        "valid_until",
        "is_active",
    ]
    list_filter = ["agency", "incubator", "weekday", "mode", "audience", "is_active"]
    search_fields = ["agency__short_name", "incubator__name", "notes"]
    autocomplete_fields = ["agency", "incubator", "advisors"]
    filter_horizontal = ["languages"]
    list_select_related = ["agency", "incubator"]
    fieldsets = [
        (
            _("Where and when"),
            {
                "fields": [
                    "incubator",
                    ("mode", "meeting_url"),
                    "weekday",
                    ("start_time", "end_time"),
                    "slot_minutes",
                    "every_n_weeks",
                    ("valid_from", "valid_until"),
                    "is_active",
                ]
            },
        ),
        (_("Who"), {"fields": ["agency", "advisors", "languages"]}),
        (
            _("Booking rules"),
            {
                "fields": [
                    "capacity",
                    "audience",
                    "booking_opens_days",
                    "min_notice_hours",
                    "cancel_notice_hours",
                    "max_active_bookings",
                ]
            },
        ),
        (_("Reminders"), {"fields": [("reminder_hours", "second_reminder_hours")]}),
        (_("Internal notes"), {"fields": ["notes"]}),
    ]

    @admin.display(description=_("hours"), ordering="start_time")
    def hours(self, obj: PermanenceSchedule) -> str:
        return f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    def get_readonly_fields(self, request, obj=None):
        # Slots copy the agency and the incubator, and regeneration keeps the slots whose
        # times still match: moving a schedule that has slots would leave them behind.
        # Close it (valid until) and create a new one instead.
        if obj is not None and obj.slots.exists():
            return ["agency", "incubator"]
        return []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        result = slots_generate(schedule=form.instance)
        _report_generation(self, request, result, schedule_id=form.instance.pk)

    def get_urls(self):
        return [
            path("week/", self.admin_site.admin_view(self.week_view), name="permanences_week"),
            path(
                "cancel-day/",
                self.admin_site.admin_view(self.cancel_day_view),
                name="permanences_cancel_day",
            ),
            *super().get_urls(),
        ]

    def week_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        day = _parse_day(request.GET.get("week")) or timezone.localdate()
        monday = day - datetime.timedelta(days=day.weekday())
        days = [monday + datetime.timedelta(days=n) for n in range(7)]
        start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=BRUSSELS)
        end = datetime.datetime.combine(
            monday + datetime.timedelta(days=7), datetime.time.min, tzinfo=BRUSSELS
        )
        slots = list(
            Slot.objects.filter(starts_at__gte=start, starts_at__lt=end, incubator__is_active=True)
            .select_related("agency", "incubator", "schedule")
            .prefetch_related("schedule__advisors")
            .order_by("starts_at", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Week of %(monday)s")
            % {"monday": formats.date_format(monday, "DATE_FORMAT")},
            "days": days,
            "rows": _week_grid(slots, days),
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
            "this_week": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/permanences/permanenceschedule/week.html", context)

    def cancel_day_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        where = DayForm(request.GET)
        if not where.is_valid():
            raise Http404
        incubator, day = where.cleaned_data["incubator"], where.cleaned_data["date"]
        slots = list(
            Slot.objects.filter(incubator=incubator, status=Slot.Status.OPEN, starts_at__date=day)
            .select_related("agency")
            .order_by("starts_at", "pk")
        )
        form = CancelReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            slot_count, booking_count = services.day_cancel(
                incubator_id=incubator.pk,
                day=day,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            self.message_user(
                request,
                _(
                    "Cancelled at %(incubator)s on %(date)s: slots: %(slots)d, "
                    "bookings: %(bookings)d. Everyone booked will be told."
                )
                % {
                    "slots": slot_count,
                    "bookings": booking_count,
                    "incubator": incubator,
                    "date": formats.date_format(day, "DATE_FORMAT"),
                },
                messages.SUCCESS,
            )
            week = reverse("admin:permanences_week")
            return redirect(f"{week}?{urlencode({'week': day.isoformat()})}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Cancel the permanences of %(incubator)s on %(date)s")
            % {"incubator": incubator, "date": formats.date_format(day, "DATE_FORMAT")},
            "incubator": incubator,
            "day": day,
            "slots": slots,
            "bookings": Booking.objects.filter(
                slot__in=slots, status=Booking.Status.CONFIRMED
            ).count(),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/permanences/permanenceschedule/cancel_day.html", context
        )


# --- Closures --------------------------------------------------------------------------


def _slots_regenerate(*, scopes: list[tuple[int | None, int | None]]) -> GenerationResult:
    """Regenerate the slots of every schedule a closure touches; each scope is
    (incubator id, agency id), None meaning every one."""
    conditions = [
        Q(**{name: value for name, value in (("incubator_id", inc), ("agency_id", ag)) if value})
        for inc, ag in scopes
    ]
    schedules = PermanenceSchedule.objects.all()
    if all(conditions):  # an empty condition is a closure for everyone: keep them all
        schedules = schedules.filter(reduce(operator.or_, conditions))
    closures = list(Closure.objects.all())
    total = GenerationResult()
    for schedule in schedules:
        own = [
            c
            for c in closures
            if c.incubator_id in (None, schedule.incubator_id)
            and c.agency_id in (None, schedule.agency_id)
        ]
        total += slots_generate(schedule=schedule, closures=own)
    return total


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["start_date", "end_date", "reason", "incubator", "agency"]
    list_filter = ["incubator", "agency", "start_date"]
    search_fields = ["reason"]
    autocomplete_fields = ["incubator", "agency"]
    list_select_related = ["incubator", "agency"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        scopes = [(obj.incubator_id, obj.agency_id)]
        if change:  # it may have moved: free the old place too
            scopes.append((form.initial.get("incubator"), form.initial.get("agency")))
        super().save_model(request, obj, form, change)
        _report_generation(self, request, _slots_regenerate(scopes=scopes))

    def delete_model(self, request, obj):
        scopes = [(obj.incubator_id, obj.agency_id)]
        super().delete_model(request, obj)
        _report_generation(self, request, _slots_regenerate(scopes=scopes))

    def delete_queryset(self, request, queryset):
        scopes = list(queryset.values_list("incubator_id", "agency_id"))
        super().delete_queryset(request, queryset)
        _report_generation(self, request, _slots_regenerate(scopes=scopes))


# --- Slots -----------------------------------------------------------------------------


class OffScheduleFilter(admin.SimpleListFilter):
    title = _("to settle")
    parameter_name = "off_schedule"

    def lookups(self, request, model_admin):
        return [("1", _("No longer matches its schedule")), ("0", _("Matches its schedule"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(off_schedule=self.value() == "1")
        return queryset


class SlotForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = ["capacity", "bookable_from", "bookable_until", "off_schedule"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < self.instance.booked_count:
            raise forms.ValidationError(
                _("%(booked)d places are already taken: cancel bookings first.")
                % {"booked": self.instance.booked_count}
            )
        return capacity


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    form = SlotForm
    list_display = ["starts_at", "agency", "incubator", "places", "status", "off_schedule"]
    list_filter = ["status", OffScheduleFilter, "agency", "incubator"]
    list_select_related = ["agency", "incubator"]
    date_hierarchy = "starts_at"
    search_fields = ["agency__short_name", "incubator__name", "cancel_reason"]
    actions = ["cancel_selected"]
    fields = [
        "schedule",
        "agency",
        "incubator",
        ("starts_at", "ends_at"),
        ("booked_count", "capacity"),
        ("bookable_from", "bookable_until"),
        "status",
        "off_schedule",
        "cancel_reason",
        "cancelled_at",
    ]
    readonly_fields = [
        "schedule",
        "agency",
        "incubator",
        "starts_at",
        "ends_at",
        "booked_count",
        "status",
        "cancel_reason",
        "cancelled_at",
    ]

    @admin.display(description=_("booked"), ordering="booked_count")
    def places(self, obj: Slot) -> str:
        return f"{obj.booked_count}/{obj.capacity}"

    def has_add_permission(self, request):
        return False  # slots come from schedules

    def has_delete_permission(self, request, obj=None):
        return False  # the next generation would bring it back: cancel it instead

    def save_model(self, request, obj, form, change):
        # Only what the form edits: the booking service changes booked_count meanwhile.
        if form.changed_data:
            obj.save(update_fields=form.changed_data)

    @admin.action(description=_("Cancel the selected slots"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        slots = list(
            queryset.filter(status=Slot.Status.OPEN)
            .select_related("agency", "incubator")
            .order_by("starts_at", "pk")
        )
        form = CancelReasonForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            bookings = sum(
                services.slot_cancel(slot=slot, reason=reason, by=request.user) for slot in slots
            )
            self.message_user(
                request,
                _(
                    "Cancelled: slots: %(slots)d, bookings: %(bookings)d. "
                    "Everyone booked will be told."
                )
                % {"slots": len(slots), "bookings": bookings},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Cancel slots"),
            "form": form,
            "slots": slots,
            "bookings": Booking.objects.filter(
                slot__in=slots, status=Booking.Status.CONFIRMED
            ).count(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/permanences/slot/cancel_selected.html", context)


# --- Bookings and calendar feeds -------------------------------------------------------


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are made, moved and cancelled through the booking services, which keep the
    slot's counter and notify people: here, who and when are read-only."""

    list_display = ["starts_at", "user", "agency", "incubator", "category", "status"]
    list_filter = ["status", "slot__agency", "slot__incubator", "category"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "topic"]
    list_select_related = ["user", "slot__agency", "slot__incubator", "category"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["company", "category"]
    readonly_fields = [
        "slot",
        "user",
        "starts_at",
        "ends_at",
        "status",
        "uid",
        "sequence",
        "rescheduled_from",
        "created_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "marked_by",
        "marked_at",
    ]

    @admin.display(description=_("agency"), ordering="slot__agency__short_name")
    def agency(self, obj: Booking) -> Agency:
        return obj.slot.agency

    @admin.display(description=_("incubator"), ordering="slot__incubator__name")
    def incubator(self, obj: Booking) -> Incubator:
        return obj.slot.incubator

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Deleting a feed revokes it; the owner renews it from their account."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
