from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs")

    def ready(self) -> None:
        from incubators.signals import consent_withdrawn
        from permanences.signals import booking_made

        from .receivers import need_from_booking
        from .services import need_consent_withdrawn

        booking_made.connect(need_from_booking, dispatch_uid="needs-from-booking")
        consent_withdrawn.connect(need_consent_withdrawn, dispatch_uid="needs-need-consent")
