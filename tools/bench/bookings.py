"""Phases 3 and 4: bookings under load over HTTP, and a race for a slot's last place
across two gunicorns sharing the database, as two web replicas would. Each client is a
logged-in entrepreneur who opened the booking page first, as a browser tab would, for
its CSRF cookie and form token."""

import datetime
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from incubators.models import Agency, NeedCategory
from permanences.models import PermanenceSchedule, Slot
from tools.bench.common import (
    BLANK_PATH,
    BenchError,
    Run,
    category_for,
    entrepreneurs_create,
    gunicorn,
    http,
    incubators_create,
    schedules_create,
    session_cookie,
    slot_for,
)

BOOKING_CLIENTS = 8
# 400 bookings, about 5 s: with 200 the figure swung by a tenth from run to run. Each
# client stays at its agency's limit of upcoming bookings (50, in schedules_create).
BOOKINGS_PER_CLIENT = 50
RACE_CLIENTS = 20

THREAD_JOIN_SECONDS = 300
# How long the bookings' clients first ask for the bare page, for the machine's ceiling.
BARE_PAGE_SECONDS = 5.0


@dataclass
class BookingForm:
    """A logged-in tab on a booking page: what its "Confirm" button posts."""

    url: str
    cookie: str
    data: dict[str, str]


def booking_form(*, base_url: str, slot: Slot, cookie: str, category: NeedCategory) -> BookingForm:
    """Open the booking page like a browser tab: the CSRF cookie and the form's token."""
    url = f"{base_url}/en/permanences/slots/{slot.pk}/book/"
    page = http(url, cookie=cookie)
    if page.status != 200:
        raise BenchError(f"GET {url} answered {page.status}")
    if "csrftoken=" not in cookie:
        set_cookies = " ".join(page.headers.get_all("Set-Cookie") or [])
        csrf_cookie = re.search(r"csrftoken=([^;]+)", set_cookies)
        if csrf_cookie:
            cookie = f"{cookie}; csrftoken={csrf_cookie.group(1)}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if "csrftoken=" not in cookie or token is None:
        raise BenchError(f"GET {url} gave no CSRF cookie or form token.")
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
        raise BenchError("Booking clients still running after the time limit.")
    return statuses, time.perf_counter() - started


def bare_page_rate(base_url: str, *, cookies: list[str]) -> float:
    """Pages per second when each of the clients, logged in, asks for the bare layout
    again and again for BARE_PAGE_SECONDS."""
    counts = [0] * len(cookies)
    stop = time.monotonic() + BARE_PAGE_SECONDS

    def ask(n: int) -> None:
        while time.monotonic() < stop:
            if http(base_url + BLANK_PATH, cookie=cookies[n]).status != 200:
                raise BenchError(f"GET {BLANK_PATH} did not answer 200.")
            counts[n] += 1

    threads = [threading.Thread(target=ask, args=(n,), daemon=True) for n in range(len(cookies))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_JOIN_SECONDS)
    return sum(counts) / (time.perf_counter() - started)


def measure_throughput(run: Run, base_url: str, *, schedules: list[PermanenceSchedule]) -> None:
    """Each client is another entrepreneur booking the first slots of its own schedule
    (the slot list's first schedules): different slots, two hours apart, so no refusal
    is expected."""
    run.phase(f"3/6 {BOOKING_CLIENTS} clients booking {BOOKINGS_PER_CLIENT} slots each")
    schedules = schedules[:BOOKING_CLIENTS]
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
    bare_rps = bare_page_rate(base_url, cookies=[group[0].cookie for group in groups])
    statuses, seconds = run_threads(groups)
    booked = statuses.count(302)
    run.add("bookings_per_second", round(booked / seconds, 1), "bookings/s")
    # The same clients asking for the bare layout as fast as they can: what this machine
    # serves at best, logged in, with no query of the page's own. A booking (a
    # transaction with its checks and writes) cannot be cheaper than that page.
    run.add("bare_page_per_second", round(bare_rps, 1), "pages/s", "same clients")
    run.add("bookings_to_bare_page_ratio", round(booked / seconds / bare_rps, 2), "x")
    run.add("bookings_total", booked, "bookings", f"= {len(statuses)} posted")
    if booked != len(statuses):
        others = sorted(status for status in statuses if status != 302)
        run.failures.append(f"Bookings refused or failed, statuses: {others}")


def measure_race(run: Run, base_url: str, *, agency: Agency) -> None:
    """RACE_CLIENTS entrepreneurs post at the same instant for one slot with one place,
    every other one to a second gunicorn started for the race: only the database they
    share can decide between them."""
    run.phase(f"4/6 {RACE_CLIENTS} clients booking the last place at once, on two gunicorns")
    (schedule,) = schedules_create(
        incubators=incubators_create(prefix="race", count=1), agencies=[agency], capacity=1
    )
    slot = slot_for(schedule, timezone.now() + datetime.timedelta(days=1))
    slot.save()
    category = category_for(agency.pk)
    users = entrepreneurs_create(prefix="racer", count=RACE_CLIENTS)
    with gunicorn(log_path=Path(settings.VAR_DIR) / "gunicorn-race.log") as second_url:
        base_urls = [base_url, second_url]
        forms = [
            booking_form(
                base_url=base_urls[n % 2], slot=slot, cookie=session_cookie(user), category=category
            )
            for n, user in enumerate(users)
        ]
        statuses, _seconds = run_threads([[form] for form in forms])
    winners, taken = statuses.count(302), statuses.count(409)
    errors = len(statuses) - winners - taken
    run.add("booking_race_successes", winners, "bookings", "= 1")
    run.add("booking_race_just_taken", taken, "answers 409", f"= {RACE_CLIENTS - 1}")
    run.add("booking_race_errors", errors, "answers", "= 0")
    slot.refresh_from_db()
    if winners != 1 or errors or slot.booked_count != 1:
        run.failures.append(
            f"Race: {winners} bookings, {errors} errors, booked_count {slot.booked_count}."
        )
