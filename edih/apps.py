from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EdihConfig(AppConfig):
    name = "edih"
    verbose_name = _("Test before invest")
