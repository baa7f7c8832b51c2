from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from events.signals import event_finished, registration_checked_in
        from incubators.models import Advisor
        from permanences.signals import booking_attended

        from . import receivers
        from .models import Invitation, Response

        booking_attended.connect(
            receivers.invite_after_meeting, dispatch_uid="surveys-after-meeting"
        )
        event_finished.connect(receivers.invite_after_event, dispatch_uid="surveys-after-event")
        registration_checked_in.connect(
            receivers.invite_after_late_checkin, dispatch_uid="surveys-after-late-checkin"
        )
        # Deleted rows leave the results' counters, whatever deletes them (cascades too:
        # Django sends pre_delete for each row before deleting any).
        pre_delete.connect(
            receivers.uncount_invitation,
            sender=Invitation,
            dispatch_uid="surveys-uncount-invitation",
        )
        pre_delete.connect(
            receivers.uncount_response, sender=Response, dispatch_uid="surveys-uncount-response"
        )
        pre_delete.connect(
            receivers.uncount_advisor, sender=Advisor, dispatch_uid="surveys-uncount-advisor"
        )
