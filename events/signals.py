"""Signals other apps listen to (surveys invites attendees) without events importing them.

- registration_checked_in(sender=Registration, registration=…): a person was checked in.
- event_finished(sender=Event, event=…): an event's last session has ended.
"""

from django.dispatch import Signal

registration_checked_in = Signal()
event_finished = Signal()
