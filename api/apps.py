from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Agencies' API")

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the token's security scheme
        from .webhooks import connect

        connect()
