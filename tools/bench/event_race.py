"""A registration race for an event: RACE_PEOPLE signed-in people post "Register" at the
same instant for an event with PLACES places. PLACES get a place, the others join the
waiting list at positions 1..n without gaps or repeats, nobody gets an error."""

import datetime
import re

from django.utils import timezone

from events.models import Event, EventSession, Registration
from tools.bench.bookings import run_threads
from tools.bench.common import BenchError, Run, entrepreneurs_create, http, session_cookie

RACE_PEOPLE = 50
PLACES = 10


class RegisterForm:
    """A logged-in tab on the event page: what its "Register" button posts."""

    def __init__(self, *, url: str, cookie: str, data: dict[str, str]) -> None:
        self.url, self.cookie, self.data = url, cookie, data


def register_form(*, base_url: str, event: Event, cookie: str) -> RegisterForm:
    page_url = f"{base_url}/en/events/{event.slug}/"
    page = http(page_url, cookie=cookie)
    if page.status != 200:
        raise BenchError(f"GET {page_url} answered {page.status}")
    set_cookies = " ".join(page.headers.get_all("Set-Cookie") or [])
    csrf_cookie = re.search(r"csrftoken=([^;]+)", set_cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if csrf_cookie is None or token is None:
        raise BenchError(f"GET {page_url} gave no CSRF cookie or form token.")
    return RegisterForm(
        url=f"{base_url}/en/events/{event.slug}/register/",
        cookie=f"{cookie}; csrftoken={csrf_cookie.group(1)}",
        data={"csrfmiddlewaretoken": token.group(1)},
    )


def measure(run: Run, base_url: str) -> None:
    run.phase(f"events: {RACE_PEOPLE} people registering at once for {PLACES} places")
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    event = Event.objects.create(
        slug="bench-race",
        kind=Event.Kind.NETWORKING,
        title="Bench race",
        address="Rue de la Loi 16, 1000 Bruxelles",
        capacity=PLACES,
        status=Event.Status.PUBLISHED,
    )
    EventSession.objects.create(
        event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    forms = [
        register_form(base_url=base_url, event=event, cookie=session_cookie(user))
        for user in entrepreneurs_create(prefix="event-racer", count=RACE_PEOPLE)
    ]
    statuses, _seconds = run_threads([[form] for form in forms])
    errors = sum(1 for status in statuses if status != 302)
    registrations = Registration.objects.filter(event=event)
    registered = registrations.filter(status=Registration.Status.CONFIRMED).count()
    positions = sorted(
        registrations.filter(status=Registration.Status.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    run.add("event_race_registered", registered, "registrations", f"= {PLACES}")
    run.add("event_race_waitlisted", len(positions), "registrations", f"= {RACE_PEOPLE - PLACES}")
    run.add("event_race_errors", errors, "answers", "= 0")
    if registered != PLACES or positions != list(range(1, RACE_PEOPLE - PLACES + 1)) or errors:
        run.failures.append(
            f"Event race: {registered} registered, waiting positions {positions}, "
            f"{errors} errors (statuses {sorted(set(statuses))})."
        )
