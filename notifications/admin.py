from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import WrittenByThePortal

from .models import Notification
from .services import notifications_resend


@admin.register(Notification)
class NotificationAdmin(WrittenByThePortal, admin.ModelAdmin):
    """The outbox, to look into: notifications are recorded by the services and sent by
    the worker, never written by hand. What keeps failing shows its error here and can
    be sent again."""

    list_display = [
        "kind",
        "recipient",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "error",
    ]
    list_filter = ["state", "kind", "created_at"]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "recipient",
        "subject_type",
        "subject_id",
        "context",
        "key",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("last error"))
    def error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Send the selected failed or skipped messages again"))
    def send_again(self, request, queryset):
        count = notifications_resend(pks=list(queryset.values_list("pk", flat=True)))
        messages.success(
            request,
            ngettext(
                "%(count)s message will be sent again.",
                "%(count)s messages will be sent again.",
                count,
            )
            % {"count": count},
        )
