"""What every phase of the bench shares: the figures of the run, an HTTP client for
loopback, a gunicorn of its own, and the data every phase generates (incubators,
schedules, slots, entrepreneurs with a session)."""

import datetime
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import color_style
from django.db import connection
from django.utils import timezone

from accounts.models import Role, User
from incubators.models import Agency, Commune, Incubator, NeedCategory
from permanences.models import PermanenceSchedule, Slot

LANGUAGES = ["fr", "nl", "en"]
WARM_UP_REQUESTS = 20
TIMED_REQUESTS = 200

HTTP_TIMEOUT = 30
GUNICORN_START_SECONDS = 30

STYLE = color_style()


class BenchError(Exception):
    """The bench cannot go on (or, at the end, a correctness figure is off)."""


@dataclass
class Figure:
    key: str
    value: float | int
    unit: str
    target: str = ""


@dataclass
class Run:
    """The figures measured so far, in the order of the table, and the correctness
    figures that were off (the bench still writes every figure, then fails)."""

    figures: list[Figure] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def phase(self, title: str) -> None:
        print(STYLE.MIGRATE_HEADING(title), flush=True)

    def add(self, key: str, value: float | int, unit: str, target: str = "") -> None:
        self.figures.append(Figure(key, value, unit, target))


# --- HTTP ---------------------------------------------------------------------------------


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


def http(
    url: str,
    *,
    cookie: str = "",
    data: dict[str, str] | None = None,
    authorization: str = "",
) -> Response:
    headers = {"Cookie": cookie} if cookie else {}
    if authorization:
        headers["Authorization"] = authorization
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
    """gunicorn as production runs it (gunicorn.conf.py: 2 workers x 4 threads) on a free
    loopback port; always stopped."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config=gunicorn.conf.py",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={settings.BASE_DIR}",
        "hub_eu.wsgi:application",
    ]
    # The configuration's own sizes, whatever this shell sets: the figures are for them.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_CMD_ARGS")
    }
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + GUNICORN_START_SECONDS
        while True:
            if process.poll() is not None:
                raise BenchError(f"gunicorn exited ({process.returncode}):\n{_tail(log_path)}")
            try:
                if http(f"{base_url}/healthz/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"gunicorn did not answer /healthz/:\n{_tail(log_path)}")
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


BLANK_PATH = "/en/blank/"


def latency_against_blank(
    run: "Run", base_url: str, path: str, *, key: str, cookie: str = "", count: int = TIMED_REQUESTS
) -> list[float]:
    """`path` and the bare layout (`BLANK_PATH`, same session), alternately, so both see
    the same machine: records `<key>_p50_ms_large`, `_p95_ms_large` and
    `<key>_to_trivial_ratio` (target <= 3), and returns the page's samples."""
    timings: dict[str, list[float]] = {path: [], BLANK_PATH: []}
    for n in range(WARM_UP_REQUESTS + count):
        for each, samples in timings.items():
            response = http(base_url + each, cookie=cookie)
            if response.status != 200:
                raise BenchError(f"GET {each} answered {response.status} from gunicorn.")
            if n >= WARM_UP_REQUESTS:
                samples.append(response.ms)
    page, blank = timings[path], timings[BLANK_PATH]
    p50, blank_p50 = statistics.median(page), statistics.median(blank)
    run.add(f"{key}_p50_ms_large", round(p50, 2), "ms")
    run.add(f"{key}_p95_ms_large", round(percentile(page, 95), 2), "ms")
    run.add(f"{key}_trivial_p50_ms", round(blank_p50, 2), "ms", "same session")
    run.add(f"{key}_to_trivial_ratio", round(p50 / blank_p50, 2), "x", "<= 3")
    return page


# --- Data ---------------------------------------------------------------------------------


def page_queries(client, path: str, *, what: str) -> int:
    """Queries of one GET of `path` by the in-process test client, after a warm-up
    request (caches filled), as the page's constant-queries figure counts them."""
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"{what} answered {response.status_code}.")
    return len(captured)


def queries_compare(run: "Run", *, key: str, small: int, large: int, what: str) -> None:
    """Record `<key>_queries_small`/`_large` and fail the run when they differ."""
    run.add(f"{key}_queries_small", small, "queries", f"= large ({large})")
    run.add(f"{key}_queries_large", large, "queries", f"= small ({small})")
    if small != large:
        run.failures.append(f"{what} ran {small} then {large} queries.")


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
