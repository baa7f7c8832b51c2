from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from permanences.signals import booking_attended

        from .receivers import invite_after_meeting

        booking_attended.connect(invite_after_meeting, dispatch_uid="surveys-after-meeting")
