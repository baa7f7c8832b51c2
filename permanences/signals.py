"""What happens to bookings, for the apps above permanences to act on without
permanences knowing them (needs records a follow-up, surveys invites after a meeting).
Sent inside the transaction of the change: a receiver's writes commit with it or not at
all."""

from django.dispatch import Signal

# booking, follow_up: the entrepreneur asked the agency to follow the topic up as a need.
booking_made = Signal()
# booking, by: the advisor (or coordinator) who marked the meeting as attended.
booking_attended = Signal()
