"""What needs does when something happens in the apps below it."""

from permanences.models import Booking

from .models import Need
from .services import need_create


def need_from_booking(sender, *, booking: Booking, follow_up: bool, **kwargs) -> None:
    """The entrepreneur asked, while booking, that the agency follow the topic up: it
    becomes a need routed to that permanence's agency."""
    if not follow_up:
        return
    need_create(
        user=booking.user,
        category=booking.category,
        description=booking.topic,
        consent=booking.consent_share_profile,
        source=Need.Source.BOOKING,
        booking=booking,
        agency=booking.slot.agency,
    )
