from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin import WrittenByThePortal

from .models import PersonalDataEvent, Role, User
from .services import user_set_role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "language", "is_active", "is_staff"]
    list_filter = ["role", "language", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "language", "role")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "language",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    actions = ["make_coordinator", "make_entrepreneur"]

    @admin.action(description=_("Make the selected users coordinators"))
    def make_coordinator(self, request, queryset):
        for user in queryset:
            user_set_role(user=user, role=Role.COORDINATOR)

    @admin.action(description=_("Make the selected users entrepreneurs"))
    def make_entrepreneur(self, request, queryset):
        for user in queryset:
            user_set_role(user=user, role=Role.ENTREPRENEUR)


@admin.register(PersonalDataEvent)
class PersonalDataEventAdmin(WrittenByThePortal, admin.ModelAdmin):
    """The accountability log: written by the portal, read by the coordinator."""

    list_display = ["created_at", "kind", "actor", "subject", "what"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "subject"]
