from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from events.signals import event_finished, registration_checked_in
        from permanences.signals import booking_attended

        from .receivers import invite_after_event, invite_after_late_checkin, invite_after_meeting

        booking_attended.connect(invite_after_meeting, dispatch_uid="surveys-after-meeting")
        event_finished.connect(invite_after_event, dispatch_uid="surveys-after-event")
        registration_checked_in.connect(
            invite_after_late_checkin, dispatch_uid="surveys-after-late-checkin"
        )
