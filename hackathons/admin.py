"""The coordinator's admin: hackathons with their challenges and criteria inline, the
jurors, partners; submissions and scores are read-only (teams write them)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from .models import (
    Assignment,
    Challenge,
    ChallengeResource,
    Criterion,
    Hackathon,
    Partner,
    Submission,
    SubmissionFile,
    Team,
    TeamMember,
)


class ChallengeInline(TranslationStackedInline):
    model = Challenge
    extra = 0
    fields = ["order", "partner", "title", "statement", "prizes"]
    show_change_link = True


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "weight"]


@admin.register(Hackathon)
class HackathonAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "submission_deadline",
        "team_size_max",
        "results_published_at",
        "links",
    ]
    search_fields = ["event__title", "event__slug"]
    filter_horizontal = ["jurors"]
    readonly_fields = ["results_published_at"]
    inlines = [ChallengeInline, CriterionInline]

    @admin.display(description=_("See"))
    def links(self, obj: Hackathon) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("hackathons:detail", args=[obj.event.slug]),
            _("public page"),
            reverse("hackathons:manage", args=[obj.event.slug]),
            _("ranking"),
        )


class ChallengeResourceInline(admin.TabularInline):
    model = ChallengeResource
    extra = 1


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "hackathon", "order"]
    list_filter = ["hackathon"]
    search_fields = ["title"]
    inlines = [ChallengeResourceInline]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ["user", "joined_at"]
    readonly_fields = ["user", "joined_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "hackathon", "challenge", "looking_for_members", "created_at"]
    list_filter = ["hackathon"]
    search_fields = ["name"]
    fields = ["hackathon", "name", "pitch", "challenge", "looking_for_members", "skills_wanted"]
    readonly_fields = ["hackathon"]
    inlines = [TeamMemberInline]

    def has_add_permission(self, request) -> bool:
        return False


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    fields = ["name", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["juror", "submitted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: a team writes its submission, the jurors score it."""

    list_display = ["project_name", "team", "hackathon", "challenge", "updated_at"]
    list_filter = ["hackathon", "challenge"]
    search_fields = ["project_name", "team__name"]
    inlines = [SubmissionFileInline, AssignmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
