from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .models import Choice, Invitation, Question, Response, Section, Suggestion, Survey


class SectionInline(TranslationTabularInline):
    model = Section
    extra = 0
    fields = ["order", "title", "is_suggestions"]
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(TabbedTranslationAdmin):
    """Build a survey: its sections here, then each section's questions (Questions)."""

    list_display = [
        "title",
        "kind",
        "incubator",
        "agency",
        "opens_at",
        "closes_at",
        "is_active",
        "links",
    ]
    list_filter = ["kind", "is_active", "incubator", "agency"]
    search_fields = ["title"]
    inlines = [SectionInline]

    @admin.display(description=_("See"))
    def links(self, obj: Survey) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?survey={}">{}</a>',
            reverse("surveys:preview", args=[obj.pk]),
            _("preview"),
            reverse("surveys:coordinator_results"),
            obj.pk,
            _("results"),
        )

    fieldsets = [
        (None, {"fields": ["title", "intro", "kind", "incubator", "agency", "anonymous"]}),
        (_("When"), {"fields": [("opens_at", "closes_at"), "is_active", "valid_days"]}),
        (_("Reminders"), {"fields": [("max_reminders", "reminder_days")]}),
    ]


class ChoiceInline(TranslationTabularInline):
    model = Choice
    extra = 0
    fields = ["order", "label"]


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "kind", "required"),
        "text",
        "help_text",
        ("low_label", "high_label"),
    ]
    show_change_link = True


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ["title", "survey", "order", "is_suggestions"]
    list_filter = ["survey"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(TabbedTranslationAdmin):
    """Choices are given here, for one-choice and several-choices questions."""

    list_display = ["text", "kind", "section", "required", "order"]
    list_filter = ["section__survey", "kind"]
    inlines = [ChoiceInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "user", "agency", "incubator", "created_at", "answered_at"]
    list_filter = ["survey", "agency", "incubator"]
    search_fields = ["user__email"]
    list_select_related = ["survey", "user", "agency", "incubator"]
    readonly_fields = [
        "survey",
        "user",
        "agency",
        "incubator",
        "advisor",
        "booking",
        "expires_at",
        "answered_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "agency", "incubator", "advisor", "submitted_at", "satisfaction"]
    list_filter = ["survey", "agency", "incubator"]
    list_select_related = ["survey", "agency", "incubator", "advisor__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["text", "agency", "created_at", "handled_at"]
    list_filter = ["agency", "handled_at"]
    search_fields = ["text"]
    readonly_fields = ["response", "agency", "text", "created_at", "handled_at", "handled_by"]

    def has_add_permission(self, request):
        return False
