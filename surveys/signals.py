"""What happens to surveys, for the apps above surveys to act on."""

from django.dispatch import Signal

# response: a survey was answered (inside the transaction that records it).
response_submitted = Signal()
