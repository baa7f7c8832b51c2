"""Load the whole demo in one transaction, floor by floor. Running it again changes nothing."""

from django.db import transaction

from accounts.models import User

from .calls import EVALUATOR_EMAIL, load_calls
from .community import load_community
from .directory import (
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    load_companies,
    load_incubators,
    load_people,
)
from .directory import demo_logins as directory_logins
from .edih import ADVISOR_EMAIL as EDIH_ADVISOR_EMAIL
from .edih import load_edih
from .events import load_events
from .hackathons import load_hackathons
from .journeys import load_journeys
from .landing import FOUNDER_EMAIL as LANDING_FOUNDER_EMAIL
from .landing import load_landing
from .needs import load_needs
from .permanences import (
    load_bookings,
    load_cancelled_day,
    load_past_bookings,
    load_schedules,
)
from .surveys import load_surveys


@transaction.atomic
def load_demo_data(*, lived_in: bool = False) -> dict[str, int]:
    """The directory, the permanences, a booking for two founders, three needs and the
    surveys. `lived_in` (what `manage.py demo_data` loads) adds the weeks of use behind
    it, so that every page has something to show: past meetings attended, missed and
    still to mark, survey answers for the results' charts, needs in every status and a
    cancelled day. The browser tests start without them: they count what they create."""
    created = {
        "incubators": load_incubators(),
        "people": load_people(),
    }
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    created["companies"] = load_companies(coordinator=coordinator)
    created["schedules"] = load_schedules(with_past=lived_in)
    # The survey exists before the past meetings are marked: marking one invites to it.
    created["surveys"] = load_surveys()
    if lived_in:
        created.update(load_past_bookings())
    created["upcoming bookings"] = load_bookings()
    if lived_in:
        created["slots of a cancelled day"] = load_cancelled_day()
    created["needs"] = load_needs(in_every_status=lived_in)
    # After the surveys: the past event's feedback answers one.
    created["events"] = load_events()
    # A hackathon with its challenges, teams and a submission (on its own event).
    created["hackathon teams"] = load_hackathons()
    # The European hub: the community directory, the experimentation calls, the EDIH and
    # its test-before-invest request, a start-up landing from abroad, the themed journeys.
    created["directory profiles"] = load_community()
    created["calls"] = load_calls()
    created["EDIH"] = load_edih()
    created["landing start-ups"] = load_landing()
    created["journeys"] = load_journeys()
    return created


def demo_logins() -> list[tuple[str, str, str]]:
    """Every demo login: the directory's people, then the European hub's."""
    return [
        *directory_logins(),
        ("Advisor (edih)", EDIH_ADVISOR_EMAIL, DEMO_PASSWORD),
        ("Founder landing from abroad", LANDING_FOUNDER_EMAIL, DEMO_PASSWORD),
        ("Evaluator of calls", EVALUATOR_EMAIL, DEMO_PASSWORD),
    ]
