"""The standard survey after attended bookings, and a periodic one of ICAB's members open
for a month (beat invites them within a minute)."""

import datetime

from django.utils import timezone

from incubators.models import Incubator
from surveys.defaults import standard_survey_create
from surveys.models import Survey


def load_surveys() -> int:
    if Survey.objects.exists():
        return 0
    standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    standard_survey_create(
        kind=Survey.Kind.PERIODIC,
        incubator=Incubator.objects.get(slug="icab"),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    return 2
