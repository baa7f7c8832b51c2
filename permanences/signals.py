"""What happens to bookings, for the apps above permanences to act on without
permanences knowing them (needs records a follow-up, surveys invites after a meeting).
Sent inside the transaction of the change: a receiver's writes commit with it or not at
all."""

from django.dispatch import Signal

# booking, follow_up: the entrepreneur asked the agency to follow the topic up as a need.
booking_made = Signal()
# booking, by: the advisor (or coordinator) who marked the meeting as attended.
booking_attended = Signal()
# booking, by: the booking was cancelled (by its owner, by staff, or with its slot or day).
booking_cancelled = Signal()
# booking (the new one), previous (the cancelled one it replaces), by.
booking_rescheduled = Signal()
# booking, by: attendance was marked (attended or no-show), with the outcome.
booking_marked = Signal()
