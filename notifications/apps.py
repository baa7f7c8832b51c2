from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Every installed app's `notices.py` declares its notice kinds and planners
        # (as the admin finds each app's `admin.py`).
        autodiscover_modules("notices")
