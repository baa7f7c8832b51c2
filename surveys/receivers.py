"""What surveys does when something happens in the apps below it."""

from accounts.models import User
from events.models import Event, Registration
from incubators.models import Advisor
from permanences.models import Booking

from . import counters
from .events import invitation_after_late_checkin, invitations_after_event
from .models import Invitation, Response
from .services import invitation_after_booking


def invite_after_meeting(sender, *, booking: Booking, by: User | None, **kwargs) -> None:
    """A meeting marked attended: the entrepreneur is invited to say how it went."""
    invitation_after_booking(booking=booking, by=by)


def invite_after_event(sender, *, event: Event, **kwargs) -> None:
    """An event's last session has ended: the people checked in are invited."""
    invitations_after_event(event=event)


def invite_after_late_checkin(sender, *, registration: Registration, **kwargs) -> None:
    """Someone checked in once the event is over (the list typed in late) is invited too;
    during the event, nothing yet: the invitation comes when it ends."""
    invitation_after_late_checkin(registration=registration)


def uncount_invitation(sender, instance: Invitation, **kwargs) -> None:
    """An invitation deleted (with its person, booking or event, or in the admin)."""
    counters.invitation_uncounted(instance)


def uncount_response(sender, instance: Response, **kwargs) -> None:
    counters.response_uncounted(instance)


def uncount_advisor(sender, instance: Advisor, **kwargs) -> None:
    counters.advisor_uncounted(instance.pk)
