from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, to look into: notifications are recorded by the services and sent by
    the worker, never written by hand."""

    list_display = ["kind", "recipient", "state", "created_at", "sent_at"]
    list_filter = ["kind", "state", "created_at"]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = ["kind", "recipient", "booking", "context", "key", "state", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
