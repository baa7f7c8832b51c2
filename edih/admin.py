from django.contrib import admin

from .models import TestRequest


@admin.register(TestRequest)
class TestRequestAdmin(admin.ModelAdmin):
    """The coordinator follows the requests; the agency records the outcome on its own
    page (through the services, which move the routed need too), so it is read-only here."""

    list_display = ["company_name", "technology", "timeline", "outcome", "created_at"]
    list_filter = ["technology", "data_sensitivity", "timeline", "outcome"]
    search_fields = ["company_name", "user__email", "goal"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "user",
        "company",
        "company_name",
        "technology",
        "technology_other",
        "goal",
        "data_available",
        "data_sensitivity",
        "timeline",
        "need",
        "outcome",
        "outcome_note",
        "outcome_at",
        "outcome_by",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
