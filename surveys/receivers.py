"""What surveys does when something happens in the apps below it."""

from accounts.models import User
from permanences.models import Booking

from .services import invitation_after_booking


def invite_after_meeting(sender, *, booking: Booking, by: User | None, **kwargs) -> None:
    """A meeting marked attended: the entrepreneur is invited to say how it went."""
    invitation_after_booking(booking=booking, by=by)
