"""The coordinator's admin: schedules (checked for conflicts, slots regenerated on save),
closures, slots (cancelled with a reason), bookings, and a week at a glance.

A thin shell: schedules and closures are saved by `schedules`, the week is read by
`week`, slots are cancelled by `services`."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from common.forms import DAYS_AHEAD, FIRST_DAY
from incubators.models import Advisor, Agency, Incubator

from . import schedules, services
from .generation import GenerationResult
from .models import Booking, CalendarFeed, Closure, PermanenceSchedule, Slot
from .week import week_grid


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


class AgencyAdvisorsWidget(forms.CheckboxSelectMultiple):
    """One box per advisor, marked with the advisor's agency: the page's script shows only
    the boxes of the agency chosen in the form."""

    class Media:
        js = ["js/schedule-advisors.js"]

    def __init__(self, attrs=None):
        # The admin's class for a list of choices: one per line, labels at their width.
        super().__init__(attrs={"class": "radiolist", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].pop("class", None)  # the list's class, not the boxes'
        advisor = getattr(value, "instance", None)
        if advisor is not None:
            option["attrs"]["data-agency"] = str(advisor.agency_id)
        return option


class PermanenceScheduleForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        advisors = self.fields["advisors"]
        advisors.widget = AgencyAdvisorsWidget()
        queryset = Advisor.objects.select_related("user", "agency")
        if "agency" not in self.fields:
            # The agency is read-only (the schedule has slots): only its advisors qualify.
            queryset = queryset.filter(agency_id=self.instance.agency_id)
        else:
            advisors.help_text = _("Choose the agency first: only its advisors are offered.")
        advisors.queryset = queryset  # also gives the new widget its choices

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

    def _post_clean(self):
        # After Django's own step, the instance holds the submitted values (the stored ones
        # for read-only fields) and the model has checked its row: the schedule service
        # checks what needs the advisors and the other schedules.
        super()._post_clean()
        if "advisors" in self.errors:
            return
        try:
            schedules.schedule_validate(
                schedule=self.instance, advisors=self.cleaned_data.get("advisors") or []
            )
        except ValidationError as exc:
            self.add_error(None, exc)


def _parse_day(value: str | None) -> datetime.date | None:
    """A day from the query string, or None when it is not one or lies outside the
    calendar the portal works in (the week around 9999-12-31 would overflow)."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    last = timezone.localdate() + datetime.timedelta(days=DAYS_AHEAD)
    return day if FIRST_DAY <= day <= last else None


class DayForm(forms.Form):
    """The query string of the cancel-day view."""

    incubator = forms.ModelChoiceField(queryset=Incubator.objects.all())
    date = forms.DateField(input_formats=["%Y-%m-%d"])


@admin.register(PermanenceSchedule)
class PermanenceScheduleAdmin(admin.ModelAdmin):
    form = PermanenceScheduleForm
    change_list_template = "admin/permanences/permanenceschedule/change_list.html"
    # Few, narrow columns: the list fits beside the menu and the filters at 1366 px.
    list_display = [
        "incubator",
        "agency",
        "day",
        "hours",
        "slot_minutes",
        "capacity",
        "validity",
        "is_active",
    ]
    list_filter = ["agency", "incubator", "weekday", "mode", "audience", "is_active"]
    search_fields = ["agency__short_name", "incubator__name", "notes"]
    autocomplete_fields = ["agency", "incubator"]
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

    @admin.display(description=_("weekday"), ordering="weekday")
    def day(self, obj: PermanenceSchedule) -> str:
        if obj.every_n_weeks == 1:
            return obj.get_weekday_display()
        return _("%(weekday)s, every %(count)d weeks") % {
            "weekday": obj.get_weekday_display(),
            "count": obj.every_n_weeks,
        }

    @admin.display(description=_("hours"), ordering="start_time")
    def hours(self, obj: PermanenceSchedule) -> str:
        return f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    @admin.display(description=_("validity"), ordering="valid_from")
    def validity(self, obj: PermanenceSchedule) -> str:
        valid_from = formats.date_format(obj.valid_from, "SHORT_DATE_FORMAT")
        if obj.valid_until is None:
            return _("from %(date)s") % {"date": valid_from}
        return f"{valid_from} – {formats.date_format(obj.valid_until, 'SHORT_DATE_FORMAT')}"

    def get_readonly_fields(self, request, obj=None):
        # Slots copy the agency and the incubator, and regeneration keeps the slots whose
        # times still match: moving a schedule that has slots would leave them behind.
        # Close it (valid until) and create a new one instead.
        if obj is not None and obj.slots.exists():
            return ["agency", "incubator"]
        return []

    def save_model(self, request, obj, form, change):
        result = schedules.schedule_save(
            schedule=obj,
            advisors=form.cleaned_data["advisors"],
            languages=form.cleaned_data["languages"],
        )
        _report_generation(self, request, result, schedule_id=obj.pk)

    def save_related(self, request, form, formsets, change):
        pass  # the advisors and languages were saved with the schedule, by the service

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
        week = week_grid(day=_parse_day(request.GET.get("week")) or timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Week of %(monday)s")
            % {"monday": formats.date_format(week.monday, "DATE_FORMAT")},
            "days": week.days,
            "rows": week.rows,
            "previous_week": week.previous_monday,
            "next_week": week.next_monday,
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


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["start_date", "end_date", "reason", "incubator", "agency"]
    list_filter = ["incubator", "agency", "start_date"]
    search_fields = ["reason"]
    autocomplete_fields = ["incubator", "agency"]
    list_select_related = ["incubator", "agency"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        _report_generation(self, request, schedules.closure_save(closure=obj))

    def delete_model(self, request, obj):
        _report_generation(self, request, schedules.closures_delete(closures=[obj]))

    def delete_queryset(self, request, queryset):
        _report_generation(self, request, schedules.closures_delete(closures=queryset))


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
