"""The coordinator's admin: profiles (to take one down) and the messages, read-only, for
abuse handling."""

from django.contrib import admin

from .models import CompanyProfile, ContactMessage


@admin.register(CompanyProfile)
class CompanyProfileAdmin(admin.ModelAdmin):
    list_display = ["company", "slug", "is_published", "published_at", "contact_enabled"]
    list_filter = ["is_published", "contact_enabled"]
    search_fields = ["company__name", "tagline", "slug"]
    raw_id_fields = ["company", "created_by"]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "company", "sender_name", "sender_email", "subject"]
    search_fields = ["company__name", "sender_name", "sender_email", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "company",
        "sender",
        "sender_name",
        "sender_email",
        "subject",
        "body",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
