"""Load the whole demo in one transaction, floor by floor. Running it again changes nothing."""

from django.db import transaction

from accounts.models import User

from .directory import COORDINATOR_EMAIL, load_companies, load_incubators, load_people
from .needs import load_needs
from .permanences import load_bookings, load_schedules
from .surveys import load_surveys


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    created = {
        "incubators": load_incubators(),
        "people": load_people(),
    }
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    created["companies"] = load_companies(coordinator=coordinator)
    created["schedules"] = load_schedules()
    created["bookings"] = load_bookings()
    created["needs"] = load_needs()
    created["surveys"] = load_surveys()
    return created
