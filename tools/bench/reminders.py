"""Phase 6: 10,000 reminders fall due at once. One Celery worker (a process of its own,
through a Redis of its own, with as many worker processes as CPUs, as `celery worker`
starts in production) plans and sends them to a local SMTP server, with a beat tick
every minute as in production: the dispatcher and its helpers (NOTIFICATIONS_SENDERS)
send side by side. Every message carries its outbox key, so the server
counts what arrived twice."""

import datetime
import os
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from incubators.models import Agency
from notifications.models import Notification
from permanences.models import Booking
from permanences.notices import BOOKING_REMINDER
from tools.bench.common import (
    Run,
    analyze,
    category_for,
    entrepreneurs_create,
    incubators_create,
    schedules_create,
    slot_for,
)
from tools.harness import CeleryWorker, RedisServer, SmtpSinkProcess, django_run, process_env

REMINDERS = 10_000
REMINDERS_TIMEOUT = 900
BEAT_TICK_SECONDS = 60

# What beat does every minute (beat itself would wait a minute to start).
TICK = "from notifications.tasks import dispatch_notifications as d; d.delay()"


def measure(run: Run, *, agency: Agency) -> None:
    run.phase(f"6/6 {REMINDERS:,} due reminders sent by one worker")
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
    Booking.objects.filter(slot=slot).update(created_at=timezone.now() - datetime.timedelta(days=7))
    analyze()

    redis = RedisServer().start()
    sink = SmtpSinkProcess(Path(settings.VAR_DIR) / "smtp-keys.txt").start()
    env = process_env(broker=redis.url, smtp=sink.url)
    worker = CeleryWorker(
        env=env, log=Path(settings.VAR_DIR) / "worker.log", concurrency=os.cpu_count() or 1
    )
    sent = Notification.objects.filter(kind=BOOKING_REMINDER, state=Notification.State.SENT)
    try:
        worker.start()
        started = time.perf_counter()
        next_tick = started
        while sent.count() < REMINDERS:
            now = time.perf_counter()
            if now - started > REMINDERS_TIMEOUT:
                break
            if now >= next_tick:
                django_run(TICK, env=env)
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
    run.add("reminders_10k_seconds", round(seconds, 1), "s")
    run.add("reminders_10k_sent", len(reminders), "emails", f"= {REMINDERS}")
    run.add("reminders_10k_duplicates", duplicates, "emails", "= 0")
    if len(reminders) != REMINDERS or duplicates:
        run.failures.append(
            f"Reminders: {len(reminders)} sent of {REMINDERS}, {duplicates} duplicates."
        )
