from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermanencesConfig(AppConfig):
    name = "permanences"
    verbose_name = _("Permanences")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from incubators.signals import consent_withdrawn

        from .models import PermanenceSchedule
        from .selectors import schedule_labels_clear
        from .services import booking_profile_consent_withdrawn

        consent_withdrawn.connect(
            booking_profile_consent_withdrawn, dispatch_uid="permanences-booking-profile-consent"
        )

        for signal in (post_save, post_delete):
            signal.connect(
                schedule_labels_clear,
                sender=PermanenceSchedule,
                dispatch_uid=f"schedule-labels-{signal}",
            )
        for through in (PermanenceSchedule.languages.through, PermanenceSchedule.advisors.through):
            m2m_changed.connect(
                schedule_labels_clear, sender=through, dispatch_uid=f"schedule-labels-{through}"
            )
