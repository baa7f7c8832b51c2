"""Mixed load: USERS people use the site at once for SECONDS seconds, driven by Locust
(headless, in a process of its own, tools/bench/locustfile.py) against the bench's
gunicorn. The phase makes the data each kind of person needs and hands it to the
locustfile in a JSON file named by the MIXED_LOAD_PLAN environment variable; then it
reads Locust's statistics (its --csv files).

The mix, 50 people, each waiting 1 to 3 s between two pages as a reader would:
- 20 anonymous visitors and 10 signed-in entrepreneurs browse the slot list (first
  page, filters, "Show later slots") and the events agenda;
- 10 entrepreneurs book a slot and cancel it, again and again, each on slots of its
  own schedule, so no booking is ever refused;
- 5 advisors open their agency's needs inbox, filter it and open a need;
- 5 people answer the satisfaction survey through its one-time link.
"""

import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.models import Role, User
from events.models import Event, EventSession
from incubators.models import Advisor, Agency, NeedCategory
from needs.models import Need, RoutedNeed
from permanences.models import Slot
from surveys.counters import invitations_counted
from surveys.defaults import standard_survey_create
from surveys.models import Invitation, Question, Survey
from surveys.tokens import invitation_token
from tools.bench.common import (
    BenchError,
    Run,
    analyze,
    category_for,
    entrepreneurs_create,
    incubators_create,
    schedules_create,
    session_cookie,
    slot_for,
)

USERS = 50
SECONDS = 60
SPAWN_PER_SECOND = 10
# How many of the USERS play each part (the locustfile's user classes).
ANONYMOUS = 20
SIGNED_IN = 10
BOOKERS = 10
ADVISORS = 5
RESPONDENTS = 5
THINK_SECONDS = (1, 3)

# Enough for a minute: a booking round (book, see, cancel) takes five pages, a survey
# answer two; each person never runs out.
SLOTS_PER_BOOKER = 40
LINKS_PER_RESPONDENT = 40
NEEDS = 200
EVENTS = 12

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
LOCUST_TIMEOUT = SECONDS + 120
P95_TARGET_MS = 250


def measure(run: Run, base_url: str, *, agencies: list[Agency]) -> None:
    run.phase(f"mixed load: {USERS} people for {SECONDS} s (Locust)")
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        raise BenchError("Locust is not installed: pip install -e '.[dev]' (make install).")
    plan = plan_create(agencies=agencies)
    with tempfile.TemporaryDirectory(prefix="mixed-load-") as folder:
        plan_path = Path(folder) / "plan.json"
        plan_path.write_text(json.dumps(plan))
        prefix = Path(folder) / "locust"
        log_path = Path(folder) / "locust.log"
        command = [
            str(locust),
            f"--locustfile={LOCUSTFILE}",
            "--headless",
            f"--users={USERS}",
            f"--spawn-rate={SPAWN_PER_SECOND}",
            f"--run-time={SECONDS}s",
            f"--host={base_url}",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
        ]
        with log_path.open("wb") as log:
            try:
                subprocess.run(  # noqa: S603 - our own locust, fixed arguments
                    command,
                    cwd=settings.BASE_DIR,
                    env=os.environ | {"MIXED_LOAD_PLAN": str(plan_path)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    timeout=LOCUST_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise BenchError(f"Locust still running after {LOCUST_TIMEOUT} s.") from exc
        stats_path = Path(f"{prefix}_stats.csv")
        if not stats_path.exists():
            log = log_path.read_text(errors="replace").splitlines()[-30:]
            raise BenchError("Locust wrote no statistics:\n" + "\n".join(log))
        rows = csv_rows(stats_path)
        failures = csv_rows(Path(f"{prefix}_failures.csv"))
    report(run, rows=rows, failures=failures)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as rows:
        return list(csv.DictReader(rows))


def report(run: Run, *, rows: list[dict[str, str]], failures: list[dict[str, str]]) -> None:
    """Locust's own figures: the "Aggregated" row for the keys, each request's for reading."""
    print(f"  {'request':<28} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for row in rows:
        if row["Name"] != "Aggregated":
            print(
                f"  {row['Name']:<28} {row['Request Count']:>6} {row['50%']:>7} "
                f"{row['95%']:>7} {row['Failure Count']:>6}"
            )
    (total,) = (row for row in rows if row["Name"] == "Aggregated")
    requests, errors = int(total["Request Count"]), int(total["Failure Count"])
    p95 = float(total["95%"]) if requests else 0.0
    run.add("mixed_load_rps", round(float(total["Requests/s"]), 1), "requests/s")
    run.add("mixed_load_p95_ms", p95, "ms", f"< {P95_TARGET_MS}")
    run.add("mixed_load_errors", errors, "answers", "= 0")
    run.add("mixed_load_requests", requests, "requests")
    if errors or not requests:
        causes = "; ".join(
            f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x)"
            for row in failures[:5]
        )
        run.failures.append(f"Mixed load: {errors} errors in {requests} requests. {causes}")


# --- Data ---------------------------------------------------------------------------------


def plan_create(*, agencies: list[Agency]) -> dict:
    """Everything the locustfile needs, made here: sessions, slots, needs, survey links."""
    places = incubators_create(prefix="load", count=3)
    browse = {
        "incubators": [place.slug for place in places],
        "agencies": [agency.slug for agency in agencies],
        "languages": ["fr", "nl", "en"],
        "days_ahead": [0, 1, 2, 3, 7],
        "events": events_create(count=EVENTS),
    }
    plan = {
        "users": {
            "anonymous": ANONYMOUS,
            "signed_in": SIGNED_IN,
            "bookers": BOOKERS,
            "advisors": ADVISORS,
            "respondents": RESPONDENTS,
        },
        "think_seconds": list(THINK_SECONDS),
        "browse": browse,
        "signed_in": [
            session_cookie(user)
            for user in entrepreneurs_create(prefix="load-browser", count=SIGNED_IN)
        ],
        "bookers": bookers_create(places=places, agencies=agencies),
        "advisors": advisors_create(agencies=agencies),
        "respondents": respondents_create(places=places, agencies=agencies),
    }
    analyze()
    return plan


def bookers_create(*, places, agencies: list[Agency]) -> list[dict]:
    """Each booker has a schedule of its own: SLOTS_PER_BOOKER slots two hours apart,
    from two days ahead, well before the notice to cancel."""
    schedules = schedules_create(incubators=places, agencies=agencies)[:BOOKERS]
    first = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    slots = Slot.objects.bulk_create(
        slot_for(schedule, first + datetime.timedelta(hours=2 * k, minutes=10 * n))
        for n, schedule in enumerate(schedules)
        for k in range(SLOTS_PER_BOOKER)
    )
    users = entrepreneurs_create(prefix="load-booker", count=len(schedules))
    return [
        {
            "cookie": session_cookie(user),
            "category": category_for(schedule.agency_id).pk,
            "slots": [slot.pk for slot in slots if slot.schedule_id == schedule.pk],
        }
        for user, schedule in zip(users, schedules, strict=True)
    ]


def advisors_create(*, agencies: list[Agency]) -> list[dict]:
    """Advisors of the agencies in turn, with NEEDS needs routed round the agencies (the
    inbox phase has left many more in a full run)."""
    users = entrepreneurs_create(prefix="load-advisor", count=ADVISORS)
    User.objects.filter(pk__in=[user.pk for user in users]).update(role=Role.ADVISOR)
    Advisor.objects.bulk_create(
        Advisor(user=user, agency=agencies[n % len(agencies)]) for n, user in enumerate(users)
    )
    people = entrepreneurs_create(prefix="load-needy", count=20)
    categories = list(NeedCategory.objects.order_by("pk"))
    now = timezone.now()
    needs = Need.objects.bulk_create(
        Need(
            user=people[n % len(people)],
            category=categories[n % len(categories)],
            description=f"Load need {n}",
            consent=True,
            consent_changed_at=now,
        )
        for n in range(NEEDS)
    )
    routed = RoutedNeed.objects.bulk_create(
        RoutedNeed(
            need=need,
            agency=agencies[n % len(agencies)],
            ack_due_at=now + datetime.timedelta(hours=48 - n % 96),
        )
        for n, need in enumerate(needs)
    )
    return [
        {
            "cookie": session_cookie(user),
            "needs": [r.pk for r in routed if r.agency_id == agencies[n % len(agencies)].pk],
            "categories": [category.slug for category in categories],
        }
        for n, user in enumerate(users)
    ]


def respondents_create(*, places, agencies: list[Agency]) -> dict:
    """One-time links to a survey of its own, LINKS_PER_RESPONDENT per respondent, and
    the answers the form posts (every question answered)."""
    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    people = entrepreneurs_create(
        prefix="load-respondent", count=RESPONDENTS * LINKS_PER_RESPONDENT
    )
    expires = timezone.now() + datetime.timedelta(days=30)
    invitations = Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            user=person,
            agency=agencies[n % len(agencies)],
            incubator=places[n % len(places)],
            expires_at=expires,
        )
        for n, person in enumerate(people)
    )
    invitations_counted(invitations)  # as the services that invite do, for the results
    tokens = [invitation_token(invitation) for invitation in invitations]
    return {
        "links": [tokens[n::RESPONDENTS] for n in range(RESPONDENTS)],
        "answers": survey_answers(survey),
    }


def survey_answers(survey: Survey) -> dict[str, str | list[str]]:
    answers: dict[str, str | list[str]] = {}
    questions = Question.objects.filter(section__survey=survey).prefetch_related("choices")
    for question in questions:
        name = f"q{question.pk}"
        choices = [str(choice.pk) for choice in question.choices.all()]
        if question.kind == Question.Kind.RATING:
            answers[name] = "4"
        elif question.kind == Question.Kind.NPS:
            answers[name] = "9"
        elif question.kind == Question.Kind.SINGLE and choices:
            answers[name] = choices[0]
        elif question.kind == Question.Kind.MULTIPLE and choices:
            answers[name] = choices[:2]
        elif question.kind == Question.Kind.TEXT:
            answers[name] = "More permanences in the evening, please."
    return answers


def events_create(*, count: int) -> list[str]:
    """Published events over the coming weeks, so the agenda has a page to show."""
    kinds = list(Event.Kind)
    first = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0)
    events = Event.objects.bulk_create(
        Event(
            slug=f"load-{n}",
            kind=kinds[n % len(kinds)],
            title=f"Load event {n}",
            address="Rue de la Loi 16, 1000 Bruxelles",
            capacity=50,
            status=Event.Status.PUBLISHED,
        )
        for n in range(count)
    )
    EventSession.objects.bulk_create(
        EventSession(
            event=event,
            starts_at=first + datetime.timedelta(days=3 * n + 1),
            ends_at=first + datetime.timedelta(days=3 * n + 1, hours=2),
        )
        for n, event in enumerate(events)
    )
    return [event.slug for event in events]
