"""Admin helpers shared by the apps."""


class WrittenByThePortal:
    """A ModelAdmin mixin for what the portal records and people only read (logs,
    outboxes): no adding, changing or deleting by hand; actions still run."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
