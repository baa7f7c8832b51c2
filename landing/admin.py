"""The coordinator's admin: landing plans with their steps (read from the intake; the
founder ticks steps off), itineraries and their meetings, and the partner regions and EU
relays the public contacts page lists (in FR, NL and EN)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .models import Itinerary, ItineraryItem, LandingPlan, LandingStep, Relay


class LandingStepInline(admin.TabularInline):
    model = LandingStep
    extra = 0
    fields = ["order", "code", "category", "need", "done_at"]
    readonly_fields = ["code", "category", "need"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ItineraryInline(admin.TabularInline):
    model = Itinerary
    extra = 0
    fields = ["week", "created_at"]
    readonly_fields = ["week", "created_at"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LandingPlan)
class LandingPlanAdmin(admin.ModelAdmin):
    list_display = [
        "company_name",
        "user",
        "country",
        "arrival_date",
        "stage",
        "sector",
        "last_progress_at",
    ]
    list_filter = ["country", "stage", "sector", "consent"]
    search_fields = ["company_name", "user__email", "user__last_name", "city"]
    date_hierarchy = "arrival_date"
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_progress_at", "consent", "overview_link"]
    inlines = [LandingStepInline, ItineraryInline]

    @admin.display(description=_("See"))
    def overview_link(self, obj: LandingPlan) -> str:
        return format_html(
            '<a href="{}?q={}">{}</a>',
            reverse("landing:overview"),
            obj.user.email,
            _("landing overview"),
        )


class ItineraryItemInline(admin.TabularInline):
    model = ItineraryItem
    extra = 0
    fields = ["agency", "booking"]
    readonly_fields = ["agency", "booking"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Itinerary)
class ItineraryAdmin(admin.ModelAdmin):
    list_display = ["plan", "week", "created_at"]
    date_hierarchy = "week"
    search_fields = ["plan__company_name", "plan__user__email"]
    readonly_fields = ["plan", "week", "created_at"]
    inlines = [ItineraryItemInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Relay)
class RelayAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "country", "contact", "email", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "contact", "email"]
    fields = [
        "kind",
        "name",
        "country",
        "description",
        "contact",
        "email",
        "website",
        "order",
        "is_active",
    ]
