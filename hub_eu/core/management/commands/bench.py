"""`make bench`: the slot list, booking under load and slot generation, measured against
gunicorn and PostgreSQL with generated data. docs/benchmarks.md explains each figure.

It fills the database it is given, so it refuses any database that already holds users
or slots: bin/bench creates an empty one for it and sets the environment.
"""

import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from incubators.models import Advisor, Agency, Commune, Incubator, NeedCategory
from needs.models import Need, RoutedNeed
from permanences.generation import slots_generate
from permanences.models import Booking, PermanenceSchedule, Slot

AGENCIES = ["impulse", "innoviris", "bie", "atrium"]
LANGUAGES = ["fr", "nl", "en"]
SLOT_LIST_PATH = "/en/permanences/"
BLANK_PATH = "/en/blank/"
INBOX_PATH = "/en/agency/needs/"
NEEDS_SMALL = 100
NEEDS_LARGE = 50_000

# The slot list: 25 incubators x 4 agencies = 100 schedules of 100 slots each.
LIST_INCUBATORS = 25
SLOTS_PER_SCHEDULE = 100
SLOTS_SMALL = 100
SLOT_SPACING = datetime.timedelta(hours=2)
WARM_UP_REQUESTS = 20
TIMED_REQUESTS = 200

BOOKING_CLIENTS = 8
BOOKINGS_PER_CLIENT = 25
RACE_CLIENTS = 20

GENERATION_INCUBATORS = 40
GENERATION_DAYS = 365

SURVEY_PATH = "/en/coordination/surveys/"
RESPONSES_SMALL = 100
RESPONSES_LARGE = 20_000

REMINDERS = 10_000
REMINDERS_TIMEOUT = 900
BEAT_TICK_SECONDS = 60

HTTP_TIMEOUT = 30
GUNICORN_START_SECONDS = 30
THREAD_JOIN_SECONDS = 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer we measure, not a hop to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


# Loopback only: no proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@dataclass
class Response:
    status: int
    headers: Message
    body: str
    ms: float


@dataclass
class BookingForm:
    """A logged-in tab on a booking page: what its "Confirm" button posts."""

    url: str
    cookie: str
    data: dict[str, str]


@dataclass
class Figure:
    key: str
    value: float | int
    unit: str
    target: str = ""


def http(url: str, *, cookie: str = "", data: dict[str, str] | None = None) -> Response:
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if data is not None:
        headers["Referer"] = url
        body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - http://127.0.0.1 only
    started = time.perf_counter()
    try:
        with OPENER.open(request, timeout=HTTP_TIMEOUT) as response:
            status, headers_in, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, headers_in, text = exc.code, exc.headers, exc.read()
    return Response(status, headers_in, text.decode(), (time.perf_counter() - started) * 1000)


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(*, log_path: Path) -> Iterator[str]:
    """A gunicorn serving this project on a free loopback port; always stopped."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "hub_eu.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=2",
        "--threads=4",
        "--timeout=60",
        "--graceful-timeout=5",
        f"--chdir={settings.BASE_DIR}",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            command,
            cwd=settings.BASE_DIR,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + GUNICORN_START_SECONDS
        while True:
            if process.poll() is not None:
                raise CommandError(f"gunicorn exited ({process.returncode}):\n{_tail(log_path)}")
            try:
                if http(f"{base_url}/healthz/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"gunicorn did not answer /healthz/:\n{_tail(log_path)}")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --- Data -----------------------------------------------------------------------------


def incubators_create(*, prefix: str, count: int) -> list[Incubator]:
    return Incubator.objects.bulk_create(
        Incubator(
            slug=f"{prefix}-{n}",
            name=f"Bench {prefix} {n}",
            street="Rue de la Loi 16",
            postal_code="1000",
            commune=Commune.BRUXELLES,
        )
        for n in range(count)
    )


def schedules_create(*, incubators: list[Incubator], agencies: list[Agency], **fields):
    """One weekly schedule per incubator and agency, open to every registered user."""
    today = timezone.localdate()
    schedules = PermanenceSchedule.objects.bulk_create(
        PermanenceSchedule(
            agency=agency,
            incubator=incubator,
            weekday=(i + j) % 5,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(12, 0),
            slot_minutes=30,
            valid_from=today,
            audience=PermanenceSchedule.Audience.REGISTERED,
            booking_opens_days=28,
            min_notice_hours=2,
            max_active_bookings=50,
            **fields,
        )
        for i, incubator in enumerate(incubators)
        for j, agency in enumerate(agencies)
    )
    through = PermanenceSchedule.languages.through
    through.objects.bulk_create(
        through(permanenceschedule_id=schedule.pk, language_id=code)
        for schedule in schedules
        for code in LANGUAGES
    )
    return schedules


def slot_for(schedule: PermanenceSchedule, starts_at: datetime.datetime) -> Slot:
    """A slot as generation makes it: the schedule's length, capacity and booking window."""
    return Slot(
        schedule=schedule,
        agency_id=schedule.agency_id,
        incubator_id=schedule.incubator_id,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=schedule.slot_minutes),
        bookable_from=starts_at - datetime.timedelta(days=schedule.booking_opens_days),
        bookable_until=starts_at - datetime.timedelta(hours=schedule.min_notice_hours),
        capacity=schedule.capacity,
    )


def list_slots(
    *, schedules: list[PermanenceSchedule], first: datetime.datetime, rounds: range
) -> list[Slot]:
    """Round k gives every schedule its k-th slot, two hours after its previous one; the
    agencies' slots are half an hour apart. 100 rounds end within 9 days of `first`."""
    return [
        slot_for(schedule, first + k * SLOT_SPACING + datetime.timedelta(minutes=30 * (n % 4)))
        for k in rounds
        for n, schedule in enumerate(schedules)
    ]


def upcoming_bookable_count() -> int:
    now = timezone.now()
    return Slot.objects.filter(
        status=Slot.Status.OPEN, bookable_from__lte=now, bookable_until__gte=now, starts_at__gt=now
    ).count()


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def entrepreneurs_create(*, prefix: str, count: int) -> list[User]:
    return User.objects.bulk_create(
        User(
            email=f"{prefix}-{n}@bench.invalid",
            first_name=f"Bench {n}",
            language="en",
            role=Role.ENTREPRENEUR,
            password=make_password(None),
        )
        for n in range(count)
    )


def session_cookie(user: User) -> str:
    """A logged-in session as django.contrib.auth.login leaves it, without a login."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def category_for(agency_id: int) -> NeedCategory:
    """A topic the booking form offers for this agency (its services' categories)."""
    active = NeedCategory.objects.filter(is_active=True).order_by("pk")
    return active.filter(services__agency_id=agency_id).first() or active.first()


def booking_form(*, base_url: str, slot: Slot, cookie: str, category: NeedCategory) -> BookingForm:
    """Open the booking page like a browser tab: the CSRF cookie and the form's token."""
    url = f"{base_url}/en/permanences/slots/{slot.pk}/book/"
    page = http(url, cookie=cookie)
    if page.status != 200:
        raise CommandError(f"GET {url} answered {page.status}")
    if "csrftoken=" not in cookie:
        set_cookies = " ".join(page.headers.get_all("Set-Cookie") or [])
        csrf_cookie = re.search(r"csrftoken=([^;]+)", set_cookies)
        if csrf_cookie:
            cookie = f"{cookie}; csrftoken={csrf_cookie.group(1)}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if "csrftoken=" not in cookie or token is None:
        raise CommandError(f"GET {url} gave no CSRF cookie or form token.")
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "category": str(category.pk),
        "topic": "Financing my first hire",
        "language": "en",
        "consent_share_profile": "on",
    }
    return BookingForm(url=url, cookie=cookie, data=data)


def post_all(forms: list[BookingForm], statuses: list[int], start: threading.Barrier) -> None:
    start.wait(timeout=THREAD_JOIN_SECONDS)
    for form in forms:
        try:
            statuses.append(http(form.url, cookie=form.cookie, data=form.data).status)
        except OSError:
            statuses.append(0)


def run_threads(groups: list[list[BookingForm]]) -> tuple[list[int], float]:
    """Each group posts its forms in its own thread, all starting together. Returns the
    statuses and the wall time from the start to the last answer."""
    statuses: list[int] = []
    start = threading.Barrier(len(groups) + 1)
    threads = [
        threading.Thread(target=post_all, args=(forms, statuses, start), daemon=True)
        for forms in groups
    ]
    for thread in threads:
        thread.start()
    start.wait(timeout=THREAD_JOIN_SECONDS)
    started = time.perf_counter()
    deadline = time.monotonic() + THREAD_JOIN_SECONDS
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    if any(thread.is_alive() for thread in threads):
        raise CommandError("Booking clients still running after the time limit.")
    return statuses, time.perf_counter() - started


def machine_cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def postgres_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "Measure the slot list, bookings and slot generation (run it through bin/bench)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", dest="json_path", required=True, help="Where to write the figures."
        )
        parser.add_argument(
            "--profile",
            action="store_true",
            help="Also print a cProfile of the slot list with 10,000 slots, in-process.",
        )
        parser.add_argument(
            "--only",
            choices=["reminders", "surveys"],
            help="Run one phase only (the others are skipped and not reported).",
        )

    def handle(self, *args, json_path: str, profile: bool, only: str | None = None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The bench runs on PostgreSQL: use bin/bench (make bench).")
        if settings.DEBUG:
            raise CommandError("The bench runs with DEBUG off: use bin/bench (make bench).")
        if User.objects.exists() or Slot.objects.exists():
            raise CommandError(
                "The bench fills its database: give it an empty, migrated one (bin/bench does)."
            )
        self.figures: list[Figure] = []
        self.failures: list[str] = []
        agencies = list(Agency.objects.filter(slug__in=AGENCIES).order_by("order"))
        if len(agencies) != len(AGENCIES):
            raise CommandError(f"The reference agencies {AGENCIES} are missing: migrate first.")
        self.client = Client(HTTP_HOST="127.0.0.1")
        if only:
            if only == "reminders":
                self.measure_reminders(agency=agencies[0])
            else:
                with gunicorn(log_path=Path(settings.VAR_DIR) / "gunicorn.log") as base_url:
                    self.measure_survey_results(base_url, agencies=agencies)
            self.report(machine={}, json_path=Path(json_path))
            if self.failures:
                raise CommandError("\n".join(self.failures))
            return

        schedules = schedules_create(
            incubators=incubators_create(prefix="list", count=LIST_INCUBATORS), agencies=agencies
        )
        # Rounded to the half hour, three hours ahead: past every slot's minimum notice.
        now = timezone.now().replace(second=0, microsecond=0)
        first = now + datetime.timedelta(hours=3, minutes=(30 - now.minute % 30) % 30)
        rounds_small = SLOTS_SMALL // len(schedules)

        self.phase(f"1/6 slot list with {SLOTS_SMALL} upcoming slots: counting queries")
        Slot.objects.bulk_create(
            list_slots(schedules=schedules, first=first, rounds=range(rounds_small))
        )
        self.check_upcoming(SLOTS_SMALL)
        small = self.count_queries(SLOT_LIST_PATH)

        total = len(schedules) * SLOTS_PER_SCHEDULE
        self.phase(f"2/6 slot list with {total:,} upcoming slots: queries and latency")
        Slot.objects.bulk_create(
            list_slots(
                schedules=schedules, first=first, rounds=range(rounds_small, SLOTS_PER_SCHEDULE)
            ),
            batch_size=2000,
        )
        self.check_upcoming(total)
        # Plans as production gets them once autovacuum has seen the new rows: without
        # statistics PostgreSQL expects one slot and sorts all 10,000 of them.
        analyze()
        large = self.count_queries(SLOT_LIST_PATH)
        self.add("slot_list_queries_small", small, "queries", f"= large ({large})")
        self.add("slot_list_queries_large", large, "queries", f"= small ({small})")
        if small != large:
            self.failures.append(f"The slot list ran {small} then {large} queries.")
        if profile:
            self.profile(SLOT_LIST_PATH)

        with gunicorn(log_path=Path(settings.VAR_DIR) / "gunicorn.log") as base_url:
            self.measure_latency(base_url)
            self.phase(f"needs inbox with {NEEDS_SMALL} and {NEEDS_LARGE:,} needs")
            self.measure_inbox(base_url, agencies=agencies)
            self.measure_survey_results(base_url, agencies=agencies)
            self.phase(f"3/6 {BOOKING_CLIENTS} clients booking {BOOKINGS_PER_CLIENT} slots each")
            self.measure_bookings(base_url, schedules=schedules[:BOOKING_CLIENTS])
            self.phase(f"4/6 {RACE_CLIENTS} clients booking the last place at once")
            self.measure_race(base_url, agency=agencies[0])

        self.phase(f"5/6 one year of slots for {GENERATION_INCUBATORS * len(agencies)} schedules")
        self.measure_generation(agencies=agencies)
        self.measure_reminders(agency=agencies[0])

        self.add("cpu_count", os.cpu_count() or 0, "CPUs")
        machine = {
            "machine_cpu": machine_cpu(),
            "machine_python": platform.python_version(),
            "machine_postgres": postgres_version(),
        }
        self.report(machine=machine, json_path=Path(json_path))
        if self.failures:
            raise CommandError("\n".join(self.failures))

    # --- Phases ---------------------------------------------------------------------------

    def phase(self, title: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(title))

    def add(self, key: str, value: float | int, unit: str, target: str = "") -> None:
        self.figures.append(Figure(key, value, unit, target))

    def check_upcoming(self, expected: int) -> None:
        found = upcoming_bookable_count()
        if found != expected:
            raise CommandError(f"Expected {expected} upcoming bookable slots, found {found}.")

    def count_queries(self, path: str) -> int:
        """Queries of one anonymous request, after a first one has warmed the caches."""
        self.get_in_process(path)
        with CaptureQueriesContext(connection) as queries:
            self.get_in_process(path)
        return len(queries)

    def get_in_process(self, path: str):
        response = self.client.get(path)
        if response.status_code != 200:
            raise CommandError(f"GET {path} answered {response.status_code} in-process.")
        return response

    def profile(self, path: str) -> None:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            self.get_in_process(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(40)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(25)
        self.stdout.write(f"cProfile of 20 in-process GET {path}:\n{out.getvalue()}")

    def measure_latency(self, base_url: str) -> None:
        """The slot list and the bare layout, alternately, so both see the same machine."""
        timings: dict[str, list[float]] = {SLOT_LIST_PATH: [], BLANK_PATH: []}
        for n in range(WARM_UP_REQUESTS + TIMED_REQUESTS):
            for path, samples in timings.items():
                response = http(base_url + path)
                if response.status != 200:
                    raise CommandError(f"GET {path} answered {response.status} from gunicorn.")
                if path == SLOT_LIST_PATH and response.body.count("slot-row") != 50:
                    raise CommandError("The slot list does not show a full page of 50 slots.")
                if n >= WARM_UP_REQUESTS:
                    samples.append(response.ms)
        slot_list, blank = timings[SLOT_LIST_PATH], timings[BLANK_PATH]
        p50 = statistics.median(slot_list)
        blank_p50 = statistics.median(blank)
        self.add("slot_list_p50_ms_large", round(p50, 2), "ms")
        self.add("slot_list_p95_ms_large", round(percentile(slot_list, 95), 2), "ms")
        self.add("trivial_view_p50_ms", round(blank_p50, 2), "ms")
        self.add("slot_list_to_trivial_ratio", round(p50 / blank_p50, 2), "x", "<= 3")

    def measure_inbox(self, base_url: str, *, agencies: list[Agency]) -> None:
        """The agency inbox with 100 and with 50,000 needs in the database, routed round
        the four agencies: the same number of queries, and the latency of the large one."""
        (advisor_user,) = entrepreneurs_create(prefix="inbox-advisor", count=1)
        advisor_user.role = Role.ADVISOR
        advisor_user.save(update_fields=["role"])
        agency = agencies[0]
        Advisor.objects.create(user=advisor_user, agency=agency)
        people = entrepreneurs_create(prefix="needy", count=500)
        categories = list(NeedCategory.objects.order_by("pk"))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(advisor_user)

        def add_needs(start: int, stop: int) -> None:
            now = timezone.now()
            for batch_start in range(start, stop, 5000):
                numbers = range(batch_start, min(batch_start + 5000, stop))
                needs = Need.objects.bulk_create(
                    Need(
                        user=people[n % len(people)],
                        category=categories[n % len(categories)],
                        description=f"Bench need {n}",
                        consent=True,
                        consent_changed_at=now,
                    )
                    for n in numbers
                )
                RoutedNeed.objects.bulk_create(
                    RoutedNeed(
                        need=need,
                        agency=agencies[n % len(agencies)],
                        ack_due_at=now + datetime.timedelta(hours=48 - n % 96),
                    )
                    for n, need in zip(numbers, needs, strict=True)
                )

        def queries() -> int:
            client.get(INBOX_PATH)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(INBOX_PATH)
            if response.status_code != 200:
                raise CommandError(f"The inbox answered {response.status_code}.")
            return len(captured)

        add_needs(0, NEEDS_SMALL)
        small = queries()
        add_needs(NEEDS_SMALL, NEEDS_LARGE)
        analyze()
        large = queries()
        self.add("needs_inbox_queries_small", small, "queries", f"= large ({large})")
        self.add("needs_inbox_queries_large", large, "queries", f"= small ({small})")
        if small != large:
            self.failures.append(f"The needs inbox ran {small} then {large} queries.")
        cookie = session_cookie(advisor_user)
        samples = []
        for n in range(WARM_UP_REQUESTS + TIMED_REQUESTS):
            response = http(base_url + INBOX_PATH, cookie=cookie)
            if response.status != 200:
                raise CommandError(f"GET {INBOX_PATH} answered {response.status} from gunicorn.")
            if n >= WARM_UP_REQUESTS:
                samples.append(response.ms)
        self.add("needs_inbox_p50_ms_large", round(statistics.median(samples), 2), "ms")
        self.add("needs_inbox_p95_ms_large", round(percentile(samples, 95), 2), "ms")

    def measure_survey_results(self, base_url: str, *, agencies: list[Agency]) -> None:
        """The coordinator's survey results with 100 and with 20,000 responses (about 8
        advisors, 10 incubators, 4 agencies, one suggestion in ten): the same number of
        queries, and the latency with 20,000."""
        from accounts.services import user_set_role
        from surveys.defaults import standard_survey_create
        from surveys.models import Answer, Invitation, Question, Response, Suggestion, Survey

        self.phase(f"survey results with {RESPONSES_SMALL} and {RESPONSES_LARGE:,} responses")
        survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
        numeric = list(
            Question.objects.filter(section__survey=survey, kind__in=["rating", "nps"]).order_by(
                "order"
            )
        )
        places = incubators_create(prefix="survey", count=10)
        staff = entrepreneurs_create(prefix="survey-advisor", count=8)
        advisors = Advisor.objects.bulk_create(
            Advisor(user=user, agency=agencies[n % len(agencies)]) for n, user in enumerate(staff)
        )
        (coordinator,) = entrepreneurs_create(prefix="survey-coordinator", count=1)
        user_set_role(user=coordinator, role=Role.COORDINATOR)
        people = entrepreneurs_create(prefix="respondent", count=RESPONSES_LARGE)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(coordinator)

        def add_responses(start: int, stop: int) -> None:
            now = timezone.now()
            for batch_start in range(start, stop, 5000):
                numbers = range(batch_start, min(batch_start + 5000, stop))
                invitations = Invitation.objects.bulk_create(
                    Invitation(
                        survey=survey,
                        user=people[n],
                        agency=advisors[n % len(advisors)].agency,
                        incubator=places[n % len(places)],
                        advisor=advisors[n % len(advisors)],
                        expires_at=now + datetime.timedelta(days=30),
                        answered_at=now,
                    )
                    for n in numbers
                )
                responses = Response.objects.bulk_create(
                    Response(
                        invitation=invitation,
                        survey=survey,
                        agency_id=invitation.agency_id,
                        incubator_id=invitation.incubator_id,
                        advisor_id=invitation.advisor_id,
                        submitted_at=now - datetime.timedelta(minutes=n),
                        satisfaction=1 + n % 5,
                        nps=n % 11,
                    )
                    for n, invitation in zip(numbers, invitations, strict=True)
                )
                Answer.objects.bulk_create(
                    Answer(
                        response=response,
                        question=question,
                        number=(n % 11) if question.kind == "nps" else 1 + n % 5,
                    )
                    for n, response in zip(numbers, responses, strict=True)
                    for question in numeric
                )
                Suggestion.objects.bulk_create(
                    Suggestion(
                        response=response,
                        agency_id=response.agency_id,
                        survey=survey,
                        incubator_id=response.incubator_id,
                        advisor_id=response.advisor_id,
                        text=f"Idea {n}",
                    )
                    for n, response in zip(numbers, responses, strict=True)
                    if n % 10 == 0
                )

        def queries() -> int:
            client.get(SURVEY_PATH)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(SURVEY_PATH)
            if response.status_code != 200:
                raise CommandError(f"The survey results answered {response.status_code}.")
            return len(captured)

        add_responses(0, RESPONSES_SMALL)
        small = queries()
        add_responses(RESPONSES_SMALL, RESPONSES_LARGE)
        analyze()
        large = queries()
        self.add("survey_results_queries_small", small, "queries", f"= large ({large})")
        self.add("survey_results_queries_large", large, "queries", f"= small ({small})")
        if small != large:
            self.failures.append(f"The survey results ran {small} then {large} queries.")
        cookie = session_cookie(coordinator)
        samples = []
        for n in range(WARM_UP_REQUESTS + TIMED_REQUESTS // 2):
            response = http(base_url + SURVEY_PATH, cookie=cookie)
            if response.status != 200:
                raise CommandError(f"GET {SURVEY_PATH} answered {response.status} from gunicorn.")
            if n >= WARM_UP_REQUESTS:
                samples.append(response.ms)
        self.add("survey_results_p50_ms_large", round(statistics.median(samples), 2), "ms")
        self.add("survey_results_p95_ms_large", round(percentile(samples, 95), 2), "ms")

    def measure_bookings(self, base_url: str, *, schedules: list[PermanenceSchedule]) -> None:
        """Each client is another entrepreneur booking the first slots of its own schedule:
        different slots, two hours apart, so no refusal is expected."""
        users = entrepreneurs_create(prefix="booker", count=len(schedules))
        groups = []
        for user, schedule in zip(users, schedules, strict=True):
            cookie = session_cookie(user)
            category = category_for(schedule.agency_id)
            forms = []
            for slot in Slot.objects.filter(schedule=schedule).order_by("starts_at")[
                :BOOKINGS_PER_CLIENT
            ]:
                form = booking_form(base_url=base_url, slot=slot, cookie=cookie, category=category)
                cookie = form.cookie
                forms.append(form)
            groups.append(forms)
        statuses, seconds = run_threads(groups)
        booked = statuses.count(302)
        self.add("bookings_per_second", round(booked / seconds, 1), "bookings/s")
        self.add("bookings_total", booked, "bookings", f"= {len(statuses)} posted")
        if booked != len(statuses):
            others = sorted(status for status in statuses if status != 302)
            self.failures.append(f"Bookings refused or failed, statuses: {others}")

    def measure_race(self, base_url: str, *, agency: Agency) -> None:
        (schedule,) = schedules_create(
            incubators=incubators_create(prefix="race", count=1), agencies=[agency], capacity=1
        )
        slot = slot_for(schedule, timezone.now() + datetime.timedelta(days=1))
        slot.save()
        category = category_for(agency.pk)
        forms = [
            booking_form(
                base_url=base_url, slot=slot, cookie=session_cookie(user), category=category
            )
            for user in entrepreneurs_create(prefix="racer", count=RACE_CLIENTS)
        ]
        statuses, _seconds = run_threads([[form] for form in forms])
        winners, taken = statuses.count(302), statuses.count(409)
        errors = len(statuses) - winners - taken
        self.add("booking_race_successes", winners, "bookings", "= 1")
        self.add("booking_race_just_taken", taken, "answers 409", f"= {RACE_CLIENTS - 1}")
        self.add("booking_race_errors", errors, "answers", "= 0")
        slot.refresh_from_db()
        if winners != 1 or errors or slot.booked_count != 1:
            self.failures.append(
                f"Race: {winners} bookings, {errors} errors, booked_count {slot.booked_count}."
            )

    def measure_generation(self, *, agencies: list[Agency]) -> None:
        schedules = schedules_create(
            incubators=incubators_create(prefix="generation", count=GENERATION_INCUBATORS),
            agencies=agencies,
        )
        started = time.perf_counter()
        created = sum(
            slots_generate(schedule=schedule, days=GENERATION_DAYS).created
            for schedule in schedules
        )
        seconds = time.perf_counter() - started
        in_database = Slot.objects.filter(schedule__in=schedules).count()
        if in_database != created:
            self.failures.append(f"Generation reported {created} slots, stored {in_database}.")
        self.add("slot_generation_seconds", round(seconds, 2), "s")
        self.add("slot_generation_slots", created, "slots")

    def measure_reminders(self, *, agency: Agency) -> None:
        """10,000 reminders fall due at once: one Celery worker (a process of its own,
        through a Redis of its own) plans and sends them to a local SMTP server, with a
        beat tick every minute as in production. Every message carries its outbox key,
        so the server counts what arrived twice."""
        from hub_eu.core.harness import (
            CeleryWorker,
            RedisServer,
            SmtpSinkProcess,
            django_run,
            process_env,
        )
        from notifications.models import Notification

        self.phase(f"6/6 {REMINDERS:,} due reminders sent by one worker")
        (schedule,) = schedules_create(
            incubators=incubators_create(prefix="reminders", count=1),
            agencies=[agency],
            capacity=REMINDERS,
            reminder_hours=24,
        )
        slot = slot_for(schedule, timezone.now() + datetime.timedelta(hours=20))
        slot.booked_count = REMINDERS
        slot.save()
        category = category_for(agency.pk)
        Booking.objects.bulk_create(
            (
                Booking(
                    slot=slot,
                    user=user,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    category=category,
                    topic="Bench",
                    language="en",
                )
                for user in entrepreneurs_create(prefix="reminded", count=REMINDERS)
            ),
            batch_size=2000,
        )
        # Booked a week ago: the 24-hour reminder is due for every one of them.
        Booking.objects.filter(slot=slot).update(
            created_at=timezone.now() - datetime.timedelta(days=7)
        )
        analyze()

        redis = RedisServer().start()
        sink = SmtpSinkProcess(Path(settings.VAR_DIR) / "smtp-keys.txt").start()
        env = process_env(broker=redis.url, smtp=sink.url)
        worker = CeleryWorker(env=env, log=Path(settings.VAR_DIR) / "worker.log")
        sent = Notification.objects.filter(
            kind=Notification.Kind.BOOKING_REMINDER, state=Notification.State.SENT
        )
        try:
            worker.start()
            # What beat does every minute (beat itself would wait a minute to start).
            tick = "from notifications.tasks import dispatch_notifications as d; d.delay()"

            started = time.perf_counter()
            next_tick = started
            while sent.count() < REMINDERS:
                now = time.perf_counter()
                if now - started > REMINDERS_TIMEOUT:
                    break
                if now >= next_tick:
                    django_run(tick, env=env)
                    next_tick += BEAT_TICK_SECONDS
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            # Anything still on its way would show up as a duplicate.
            time.sleep(2)
        finally:
            worker.stop()
            sink.stop()
            redis.cleanup()
        keys = sink.keys()
        reminders = {key: n for key, n in keys.items() if key.startswith("booking_reminder:")}
        duplicates = sum(n - 1 for n in reminders.values())
        self.add("reminders_10k_seconds", round(seconds, 1), "s")
        self.add("reminders_10k_sent", len(reminders), "emails", f"= {REMINDERS}")
        self.add("reminders_10k_duplicates", duplicates, "emails", "= 0")
        if len(reminders) != REMINDERS or duplicates:
            self.failures.append(
                f"Reminders: {len(reminders)} sent of {REMINDERS}, {duplicates} duplicates."
            )

    # --- Output ---------------------------------------------------------------------------

    def report(self, *, machine: dict[str, str], json_path: Path) -> None:
        self.stdout.write("")
        self.stdout.write(f"{'figure':<28} {'value':>12}  {'unit':<12} target")
        self.stdout.write("-" * 72)
        for figure in self.figures:
            value = f"{figure.value:,}" if isinstance(figure.value, int) else f"{figure.value:,.2f}"
            self.stdout.write(f"{figure.key:<28} {value:>12}  {figure.unit:<12} {figure.target}")
        for key, value in machine.items():
            self.stdout.write(f"{key:<28} {value}")
        data = {figure.key: figure.value for figure in self.figures} | machine
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(data, indent=2) + "\n")
        self.stdout.write(f"\nFigures written to {json_path}")
