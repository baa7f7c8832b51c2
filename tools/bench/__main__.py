"""python -m tools.bench --json PATH [--profile]
    [--only bookings|inbox|reminders|surveys|dashboard|events|race|load|generation]

Runs the phases in order, prints the table of figures and writes them to PATH as JSON.
Run it through bin/bench (`make bench`), which gives it an empty PostgreSQL database and
production-like settings. Exits 1, after writing the figures, when a correctness figure
is off.
"""

import argparse
import json
import os
import platform
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub_eu.settings")
django.setup()

# The phases import the models: only once Django is set up.
from django.conf import settings
from django.db import connection

from accounts.models import User
from incubators.models import Agency
from permanences.models import Slot
from tools.bench import (
    bookings,
    dashboard,
    event_race,
    generation,
    mixed_load,
    needs_inbox,
    reminders,
    slot_list,
    survey_results,
)
from tools.bench.common import STYLE, BenchError, Run, gunicorn

AGENCIES = ["impulse", "innoviris", "bie", "atrium"]


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench",
        description="Measure the slot list, bookings and slot generation "
        "(run it through bin/bench).",
    )
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
        choices=[
            "bookings",
            "inbox",
            "reminders",
            "surveys",
            "dashboard",
            "events",
            "race",
            "load",
            "generation",
        ],
        help="Run one phase only (the others are skipped and not reported).",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    options = arguments().parse_args(argv)
    if connection.vendor != "postgresql":
        raise BenchError("The bench runs on PostgreSQL: use bin/bench (make bench).")
    if settings.DEBUG:
        raise BenchError("The bench runs with DEBUG off: use bin/bench (make bench).")
    if User.objects.exists() or Slot.objects.exists():
        raise BenchError(
            "The bench fills its database: give it an empty, migrated one (bin/bench does)."
        )
    agencies = list(Agency.objects.filter(slug__in=AGENCIES).order_by("order"))
    if len(agencies) != len(AGENCIES):
        raise BenchError(f"The reference agencies {AGENCIES} are missing: migrate first.")
    json_path = Path(options.json_path)
    gunicorn_log = Path(settings.VAR_DIR) / "gunicorn.log"
    run = Run()

    if options.only == "bookings":
        schedules = slot_list.measure_queries(run, agencies=agencies, with_profile=False)
        with gunicorn(log_path=gunicorn_log) as base_url:
            bookings.measure_throughput(run, base_url, schedules=schedules)
    elif options.only == "inbox":
        with gunicorn(log_path=gunicorn_log) as base_url:
            needs_inbox.measure(run, base_url, agencies=agencies)
    elif options.only == "reminders":
        reminders.measure(run, agency=agencies[0])
    elif options.only == "events":
        with gunicorn(log_path=gunicorn_log) as base_url:
            event_race.measure(run, base_url)
    elif options.only == "race":
        with gunicorn(log_path=gunicorn_log) as base_url:
            bookings.measure_race(run, base_url, agency=agencies[0])
    elif options.only == "load":
        with gunicorn(log_path=gunicorn_log) as base_url:
            mixed_load.measure(run, base_url, agencies=agencies)
    elif options.only == "generation":
        generation.measure(run, agencies=agencies)
    elif options.only == "dashboard":
        with gunicorn(log_path=gunicorn_log) as base_url:
            dashboard.measure(run, base_url, agencies=agencies)
    elif options.only == "surveys":
        with gunicorn(log_path=gunicorn_log) as base_url:
            survey_results.measure(run, base_url, agencies=agencies)
    else:
        schedules = slot_list.measure_queries(run, agencies=agencies, with_profile=options.profile)
        with gunicorn(log_path=gunicorn_log) as base_url:
            slot_list.measure_latency(run, base_url)
            needs_inbox.measure(run, base_url, agencies=agencies)
            survey_results.measure(run, base_url, agencies=agencies)
            dashboard.measure(run, base_url, agencies=agencies)
            bookings.measure_throughput(run, base_url, schedules=schedules)
            bookings.measure_race(run, base_url, agency=agencies[0])
            event_race.measure(run, base_url)
            mixed_load.measure(run, base_url, agencies=agencies)
        generation.measure(run, agencies=agencies)
        reminders.measure(run, agency=agencies[0])
        run.add("cpu_count", os.cpu_count() or 0, "CPUs")

    machine = {} if options.only else machine_describe()
    report(run, machine=machine, json_path=json_path)
    if run.failures:
        raise BenchError("\n".join(run.failures))


def machine_describe() -> dict[str, str]:
    return {
        "machine_cpu": machine_cpu(),
        "machine_python": platform.python_version(),
        "machine_postgres": postgres_version(),
    }


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


def report(run: Run, *, machine: dict[str, str], json_path: Path) -> None:
    print()
    print(f"{'figure':<28} {'value':>12}  {'unit':<12} target")
    print("-" * 72)
    for figure in run.figures:
        value = f"{figure.value:,}" if isinstance(figure.value, int) else f"{figure.value:,.2f}"
        print(f"{figure.key:<28} {value:>12}  {figure.unit:<12} {figure.target}")
    for key, value in machine.items():
        print(f"{key:<28} {value}")
    data = {figure.key: figure.value for figure in run.figures} | machine
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nFigures written to {json_path}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        print(STYLE.ERROR(f"BenchError: {error}"), file=sys.stderr)
        sys.exit(1)
