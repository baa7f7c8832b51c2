from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorsConfig(AppConfig):
    name = "incubators"
    verbose_name = _("Ecosystem directory")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Agency, Incubator, Language, NeedCategory
        from .selectors import directory_labels_clear

        for model in (Incubator, Agency, Language, NeedCategory):
            for signal in (post_save, post_delete):
                signal.connect(
                    directory_labels_clear,
                    sender=model,
                    dispatch_uid=f"directory-labels-{model.__name__}-{signal}",
                )
