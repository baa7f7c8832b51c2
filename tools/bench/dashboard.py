"""The coordinator's cockpit (supply against demand) with one month and with two years
of slots, bookings and routed needs at 10 incubators and 4 agencies: the same number
of queries, and the latency with two years shown."""

import datetime
import itertools

from django.db.models import F
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_set_role
from incubators.models import Agency, NeedCategory
from needs.models import Need, RoutedNeed
from permanences.models import Booking, Slot
from tools.bench.common import (
    TIMED_REQUESTS,
    Run,
    analyze,
    entrepreneurs_create,
    incubators_create,
    latency_against_blank,
    page_queries,
    queries_compare,
    schedules_create,
    session_cookie,
    slot_for,
)

WEEKS_LARGE = 104
STATUSES = [
    Booking.Status.ATTENDED,
    Booking.Status.ATTENDED,
    Booking.Status.NO_SHOW,
    Booking.Status.CANCELLED,
]


def _path(today: datetime.date) -> str:
    since = today - datetime.timedelta(weeks=WEEKS_LARGE)
    return f"/en/coordination/cockpit/?since={since.isoformat()}&until={today.isoformat()}"


def measure(run: Run, base_url: str, *, agencies: list[Agency]) -> None:
    run.phase(f"cockpit with one month and {WEEKS_LARGE} weeks of permanences")
    places = incubators_create(prefix="cockpit", count=10)
    schedules = schedules_create(incubators=places, agencies=agencies)
    people = entrepreneurs_create(prefix="cockpit-member", count=200)
    (coordinator,) = entrepreneurs_create(prefix="cockpit-coordinator", count=1)
    user_set_role(user=coordinator, role=Role.COORDINATOR)
    categories = list(NeedCategory.objects.order_by("pk"))
    today = timezone.localdate()
    path = _path(today)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    counter = itertools.count()

    def add_weeks(first: int, last: int) -> None:
        """Weeks `first` to `last` back from today: six slots a schedule, half booked
        (attended, no-show, cancelled), and a need routed per schedule and week."""
        now = timezone.now()
        for week in range(first, last):
            monday = today - datetime.timedelta(weeks=week + 1, days=today.weekday())
            slots = Slot.objects.bulk_create(
                slot_for(
                    schedule,
                    timezone.make_aware(
                        datetime.datetime.combine(
                            monday + datetime.timedelta(days=schedule.weekday),
                            datetime.time(9, 0),
                        )
                    )
                    + datetime.timedelta(minutes=30 * n),
                )
                for schedule in schedules
                for n in range(6)
            )
            booked = slots[::2]
            bookings = []
            for slot in booked:
                n = next(counter)
                status = STATUSES[n % len(STATUSES)]
                bookings.append(
                    Booking(
                        slot=slot,
                        user=people[n % len(people)],
                        starts_at=slot.starts_at,
                        ends_at=slot.ends_at,
                        category=categories[n % len(categories)],
                        topic="Bench",
                        language="fr",
                        status=status,
                        cancelled_at=slot.starts_at - datetime.timedelta(hours=n % 48)
                        if status == Booking.Status.CANCELLED
                        else None,
                    )
                )
            Booking.objects.bulk_create(bookings)
            held = [b.slot_id for b in bookings if b.status != Booking.Status.CANCELLED]
            Slot.objects.filter(pk__in=held).update(booked_count=F("capacity"))
            needs = Need.objects.bulk_create(
                Need(
                    user=people[i % len(people)],
                    incubator_id=schedule.incubator_id,
                    category=categories[i % len(categories)],
                    description="Bench need",
                    consent=True,
                    consent_changed_at=now,
                )
                for i, schedule in enumerate(schedules)
            )
            RoutedNeed.objects.bulk_create(
                RoutedNeed(need=need, agency_id=schedule.agency_id, ack_due_at=now)
                for need, schedule in zip(needs, schedules, strict=True)
            )
            moment = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(12)))
            RoutedNeed.objects.filter(need__in=needs).update(created_at=moment)

    add_weeks(0, 4)
    small = page_queries(client, path, what="The cockpit")
    add_weeks(4, WEEKS_LARGE)
    analyze()
    large = page_queries(client, path, what="The cockpit")
    queries_compare(run, key="dashboard", small=small, large=large, what="The cockpit")
    latency_against_blank(
        run,
        base_url,
        path,
        key="dashboard",
        cookie=session_cookie(coordinator),
        count=TIMED_REQUESTS // 2,
    )
