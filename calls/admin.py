"""The coordinator's admin: calls with their criteria inline (in three languages), the
managers and evaluators; applications and scores are read-only here (applicants and
evaluators write them on the site, the managers decide on the call's pages)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import Application, Call, Criterion, Evaluator


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "description", "weight"]


class EvaluatorInline(admin.TabularInline):
    model = Evaluator
    extra = 0
    fields = ["email", "user", "invited_by", "invited_at"]
    readonly_fields = ["user", "invited_by", "invited_at"]


@admin.register(Call)
class CallAdmin(TabbedTranslationAdmin):
    list_display = ["title", "funder_name", "status", "opens_at", "deadline", "links"]
    list_filter = ["status", "funder_kind", "themes"]
    search_fields = ["title", "slug", "funder_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["managers", "themes"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["decisions_published_at"]
    inlines = [CriterionInline, EvaluatorInline]

    @admin.display(description=_("See"))
    def links(self, obj: Call) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("calls:detail", args=[obj.slug]),
            _("public page"),
            reverse("calls:manage", args=[obj.slug]),
            _("ranking"),
        )


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project_title", "call", "applicant", "company", "status", "decision"]
    list_filter = ["status", "decision", "call"]
    search_fields = ["project_title", "applicant__email", "company__name"]
    list_select_related = ["call", "applicant", "company"]
    readonly_fields = [f.name for f in Application._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
