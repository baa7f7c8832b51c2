"""The coordinator's admin for events: translated fields in tabs, sessions and questions
inline, registrations with approve / refuse / cancel actions (through the services, so
the waiting list moves on). A larger capacity offers the new places to the waiting list."""

from django.contrib import admin, messages
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from . import services
from .models import Event, EventQuestion, EventSession, GuestNotice, Registration
from .operations import event_change_notify, event_snapshot


class EventSessionInline(TranslationTabularInline):
    model = EventSession
    extra = 1
    min_num = 1
    fields = ["starts_at", "ends_at", "title"]


class EventQuestionInline(TranslationStackedInline):
    model = EventQuestion
    extra = 0
    fields = ["order", "label", "kind", "choices", "required"]


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    list_display = ["title", "kind", "status", "capacity", "organiser_name", "created_at"]
    list_filter = ["kind", "status", "approval", "audience", "organiser_agency"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["organisers", "venue", "organiser_incubator", "audience_incubator"]
    filter_horizontal = ["languages", "themes"]
    inlines = [EventSessionInline, EventQuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "description", "themes"]}),
        (_("Organiser"), {"fields": ["organiser_agency", "organiser_incubator", "organisers"]}),
        (_("Place"), {"fields": ["venue", "address", "online_url", "languages"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    ("registration_opens_at", "registration_closes_at"),
                    "audience",
                    "audience_incubator",
                    "approval",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        # What registrants must hear about if it changes (times, place, status): compared
        # once the sessions are saved too (save_related).
        request._event_before = (
            event_snapshot(Event.objects.get(pk=obj.pk)) if change and obj.pk else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_event_before", None)
        if before is not None:
            if event_snapshot(form.instance) != before:
                # Calendar apps replace the entry only when its SEQUENCE rises.
                Event.objects.filter(pk=form.instance.pk).update(sequence=F("sequence") + 1)
            event_change_notify(event=form.instance, before=before)
        offered = services.event_places_fill(event_id=form.instance.pk)
        if offered:
            self.message_user(
                request,
                ngettext(
                    "%(count)d free place was offered to the waiting list.",
                    "%(count)d free places were offered to the waiting list.",
                    offered,
                )
                % {"count": offered},
            )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "event",
        "status",
        "waitlist_position",
        "created_at",
        "checked_in_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["guest_name", "guest_email", "user__email", "user__last_name", "event__title"]
    list_select_related = ["event", "user"]
    readonly_fields = [
        "event",
        "user",
        "guest_name",
        "guest_email",
        "language",
        "status",
        "waitlist_position",
        "offer_expires_at",
        "answers",
        "checked_in_at",
        "checked_in_by",
        "decided_by",
        "decided_at",
        "created_at",
        "confirmed_at",
        "cancelled_at",
    ]
    exclude = ["token"]
    actions = ["approve", "refuse", "cancel"]

    def has_add_permission(self, request):
        return False

    def _each(self, request, queryset, action, done_message) -> None:
        done = 0
        for registration in queryset:
            before = registration.status
            after = action(registration).status
            done += after != before
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda r: services.registration_approve(registration_id=r.pk, by=request.user),
            _("Approved: %(count)d."),
        )

    @admin.action(description=_("Refuse the selected registrations"))
    def refuse(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda r: services.registration_refuse(registration_id=r.pk, by=request.user),
            _("Refused: %(count)d."),
        )

    @admin.action(description=_("Cancel the selected registrations"))
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda r: services.registration_cancel(registration_id=r.pk, by=request.user),
            _("Cancelled: %(count)d."),
        )


@admin.register(GuestNotice)
class GuestNoticeAdmin(admin.ModelAdmin):
    list_display = ["kind", "registration", "created_at", "sent_at", "attempts"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in GuestNotice._meta.fields]

    def has_add_permission(self, request):
        return False
