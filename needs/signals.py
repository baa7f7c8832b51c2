"""What happens to routed needs, for the apps above needs to act on (the agencies' API
sends it to their own systems). Sent inside the transaction of the change."""

from django.dispatch import Signal

# routed: a need has reached an agency's inbox (by the rules, the coordinator, a booking
# or a transfer).
need_routed = Signal()
# routed, change: "status", "message" (either way), "assigned", or "shared" (shared again
# after consent was withdrawn).
need_changed = Signal()
# routed_ids: these routed needs are no longer shared with their agencies (the person
# withdrew consent); the agencies must drop what they hold of them.
need_unshared = Signal()
