"""Phases 1 and 2: the public slot list with 100 and with 10,000 upcoming bookable slots
(25 incubators x 4 agencies = 100 schedules of 100 slots each): the same number of
queries, and its latency from gunicorn next to a page that renders only the layout."""

import cProfile
import datetime
import io
import pstats
import statistics

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incubators.models import Agency
from permanences.models import PermanenceSchedule, Slot
from tools.bench.common import (
    TIMED_REQUESTS,
    WARM_UP_REQUESTS,
    BenchError,
    Run,
    analyze,
    http,
    incubators_create,
    percentile,
    schedules_create,
    slot_for,
)

SLOT_LIST_PATH = "/en/permanences/"
BLANK_PATH = "/en/blank/"

LIST_INCUBATORS = 25
SLOTS_PER_SCHEDULE = 100
SLOTS_SMALL = 100
SLOT_SPACING = datetime.timedelta(hours=2)


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


def check_upcoming(expected: int) -> None:
    found = upcoming_bookable_count()
    if found != expected:
        raise BenchError(f"Expected {expected} upcoming bookable slots, found {found}.")


def get_in_process(client: Client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code} in-process.")
    return response


def count_queries(client: Client, path: str) -> int:
    """Queries of one anonymous request, after a first one has warmed the caches."""
    get_in_process(client, path)
    with CaptureQueriesContext(connection) as queries:
        get_in_process(client, path)
    return len(queries)


def profile(client: Client, path: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        get_in_process(client, path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(40)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(25)
    print(f"cProfile of 20 in-process GET {path}:\n{out.getvalue()}")


def measure_queries(
    run: Run, *, agencies: list[Agency], with_profile: bool
) -> list[PermanenceSchedule]:
    """The list's schedules and slots, then the queries of the list with 100 and with
    10,000 slots, counted in-process. Returns the schedules, which the booking phase
    books from."""
    client = Client(HTTP_HOST="127.0.0.1")
    schedules = schedules_create(
        incubators=incubators_create(prefix="list", count=LIST_INCUBATORS), agencies=agencies
    )
    # Rounded to the half hour, three hours ahead: past every slot's minimum notice.
    now = timezone.now().replace(second=0, microsecond=0)
    first = now + datetime.timedelta(hours=3, minutes=(30 - now.minute % 30) % 30)
    rounds_small = SLOTS_SMALL // len(schedules)

    run.phase(f"1/6 slot list with {SLOTS_SMALL} upcoming slots: counting queries")
    Slot.objects.bulk_create(
        list_slots(schedules=schedules, first=first, rounds=range(rounds_small))
    )
    check_upcoming(SLOTS_SMALL)
    small = count_queries(client, SLOT_LIST_PATH)

    total = len(schedules) * SLOTS_PER_SCHEDULE
    run.phase(f"2/6 slot list with {total:,} upcoming slots: queries and latency")
    Slot.objects.bulk_create(
        list_slots(
            schedules=schedules, first=first, rounds=range(rounds_small, SLOTS_PER_SCHEDULE)
        ),
        batch_size=2000,
    )
    check_upcoming(total)
    # Plans as production gets them once autovacuum has seen the new rows: without
    # statistics PostgreSQL expects one slot and sorts all 10,000 of them.
    analyze()
    large = count_queries(client, SLOT_LIST_PATH)
    run.add("slot_list_queries_small", small, "queries", f"= large ({large})")
    run.add("slot_list_queries_large", large, "queries", f"= small ({small})")
    if small != large:
        run.failures.append(f"The slot list ran {small} then {large} queries.")
    if with_profile:
        profile(client, SLOT_LIST_PATH)
    return schedules


def measure_latency(run: Run, base_url: str) -> None:
    """The slot list and the bare layout, alternately, so both see the same machine."""
    timings: dict[str, list[float]] = {SLOT_LIST_PATH: [], BLANK_PATH: []}
    for n in range(WARM_UP_REQUESTS + TIMED_REQUESTS):
        for path, samples in timings.items():
            response = http(base_url + path)
            if response.status != 200:
                raise BenchError(f"GET {path} answered {response.status} from gunicorn.")
            if path == SLOT_LIST_PATH and response.body.count("slot-row") != 50:
                raise BenchError("The slot list does not show a full page of 50 slots.")
            if n >= WARM_UP_REQUESTS:
                samples.append(response.ms)
    slot_list, blank = timings[SLOT_LIST_PATH], timings[BLANK_PATH]
    p50 = statistics.median(slot_list)
    blank_p50 = statistics.median(blank)
    run.add("slot_list_p50_ms_large", round(p50, 2), "ms")
    run.add("slot_list_p95_ms_large", round(percentile(slot_list, 95), 2), "ms")
    run.add("trivial_view_p50_ms", round(blank_p50, 2), "ms")
    run.add("slot_list_to_trivial_ratio", round(p50 / blank_p50, 2), "x", "<= 3")
