from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermanencesConfig(AppConfig):
    name = "permanences"
    verbose_name = _("Permanences")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from incubators.models import Agency, Incubator, Language
        from needs.models import NeedCategory

        from .models import PermanenceSchedule
        from .selectors import slot_filter_choices_clear

        for model in (Incubator, Agency, Language, NeedCategory, PermanenceSchedule):
            for signal in (post_save, post_delete):
                signal.connect(
                    slot_filter_choices_clear,
                    sender=model,
                    dispatch_uid=f"slot-filters-{model.__name__}-{signal}",
                )
        m2m_changed.connect(
            slot_filter_choices_clear,
            sender=PermanenceSchedule.languages.through,
            dispatch_uid="slot-filters-schedule-languages",
        )
