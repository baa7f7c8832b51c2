"""What the directory tells the apps above it."""

from django.dispatch import Signal

# A person withdrew a consent: `consent` (incubators.models.Consent, now ended). The app
# that shares that purpose's data stops sharing it with that agency, in the same
# transaction.
consent_withdrawn = Signal()
