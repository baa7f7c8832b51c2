"""Notifications sent by a real Celery worker through a real Redis, to a real SMTP server.

Each test starts a redis-server of its own on a spare port (one of them stops it), a
local SMTP server, and workers as separate processes on the test database; the data is
committed (transactional tests) so those processes see it.
"""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from permanences.models import Booking
from tests.factories import UserFactory
from tools.harness import (
    CeleryWorker,
    RedisServer,
    SmtpSink,
    django_run,
    process_env,
    wait_until,
)

# Real processes: in `make test`, not in `make test-fast`.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BOOK = """
from accounts.models import User
from incubators.models import NeedCategory
from permanences.services import booking_create
booking = booking_create(
    slot_id={slot}, user=User.objects.get(pk={user}),
    category=NeedCategory.objects.get(slug="financing"),
    topic="Un prêt pour nos machines", language="fr", consent_share_profile=True,
)
print(booking.pk)
"""
# What beat does every minute.
TICK = "from notifications.tasks import dispatch_notifications; dispatch_notifications.delay()"
DISPATCH = "from notifications.sending import notifications_dispatch; notifications_dispatch()"


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def env(redis_server, sink):
    # A claim left by a killed worker is taken again after 2 s instead of 10 minutes.
    return process_env(
        broker=redis_server.url, smtp=sink.url, NOTIFICATIONS_STALE_CLAIM_SECONDS="2"
    )


@pytest.fixture
def workers(env, tmp_path):
    started: list[CeleryWorker] = []

    def start() -> CeleryWorker:
        worker = CeleryWorker(env=env, log=tmp_path / "worker.log").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _states() -> dict[str, int]:
    states: dict[str, int] = {}
    for state in Notification.objects.values_list("state", flat=True):
        states[state] = states.get(state, 0) + 1
    return states


def test_a_booking_is_confirmed_by_an_email_that_a_real_worker_sends(make_slot, sink, env, workers):
    workers()
    slot, person = make_slot(days=3), UserFactory(language="nl")

    django_run(BOOK.format(slot=slot.pk, user=person.pk), env=env)

    sink.wait_for(1)
    [message] = sink.messages
    assert message["To"] == person.email
    assert "bevestigd" in message["Subject"]
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert attachments == ["permanence.ics"]
    assert _states() == {"sent": 1}


def test_redis_stopped_while_someone_books_delays_the_email_until_it_is_back(
    make_slot, redis_server, sink, env, workers
):
    workers()
    slot, person = make_slot(days=3), UserFactory()
    redis_server.stop()

    booking_pk = int(django_run(BOOK.format(slot=slot.pk, user=person.pk), env=env))

    assert Booking.objects.get(pk=booking_pk).status == Booking.Status.CONFIRMED
    assert _states() == {"pending": 1}
    redis_server.start()  # same port: the worker reconnects
    django_run(TICK, env=env)
    sink.wait_for(1)
    # Another tick, and the booking's own task if it was ever queued: still one email.
    django_run(TICK, env=env)
    wait_until(lambda: _states() == {"sent": 1}, timeout=20, what="the notification sent")
    assert sink.keys() == {f"booking_confirmed:booking:{booking_pk}:user:{person.pk}": 1}


def test_a_worker_killed_in_the_middle_of_a_batch_leaves_every_message_sent_exactly_once(
    make_slot, book, sink, env, workers
):
    slot = make_slot(days=3, capacity=30)
    people = UserFactory.create_batch(30)
    for person in people:
        book(slot, person)
    # The bookings were made in this process: their messages wait for the dispatcher.
    assert _states() == {"pending": 30}
    sink.hold_after(10)  # the 11th message gets no answer: the worker waits for it
    first = workers()
    django_run(TICK, env=env)
    wait_until(
        lambda: sink.count() == 10 and _states().get("sent") == 10,
        timeout=30,
        what="ten messages sent",
    )

    first.kill()
    assert _states() == {"sent": 10, "sending": 20}  # the batch it had claimed
    sink.release()  # the 11th, unanswered, is not delivered: its sender died
    workers()
    django_run("import time; time.sleep(2.5)\n" + TICK, env=env)

    sink.wait_for(30)
    wait_until(lambda: _states() == {"sent": 30}, timeout=20, what="all sent")
    keys = sink.keys()
    assert len(keys) == 30
    assert set(keys.values()) == {1}


def test_the_dispatcher_run_twice_at_once_sends_one_reminder_per_booking(
    make_slot, book, sink, env
):
    import subprocess
    import sys

    slot = make_slot(days=1, capacity=40, reminder_hours=48)
    for person in UserFactory.create_batch(40):
        book(slot, person)
    Booking.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    Notification.objects.update(state=Notification.State.SENT)  # the confirmations

    # Two beats at once, each planning the reminders and sending what is due.
    code = "import django; django.setup()\n" + DISPATCH
    both = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for process in both:
        assert process.wait(timeout=120) == 0, process.stderr.read().decode()[-2000:]

    reminders = Notification.objects.filter(kind="booking_reminder")
    assert reminders.count() == 40
    assert set(reminders.values_list("state", flat=True)) == {"sent"}
    keys = sink.keys()
    assert len(keys) == 40 and set(keys.values()) == {1}
    assert all(key.startswith("booking_reminder:") for key in keys)


SEND_DUE = """
from notifications.sending import notifications_send_due
print(notifications_send_due(seconds=60))
"""


def test_two_senders_share_a_backlog_each_message_sent_once_by_one_of_them(
    make_slot, book, sink, env
):
    import subprocess
    import sys

    slot = make_slot(days=3, capacity=150)
    for person in UserFactory.create_batch(150):
        book(slot, person)
    assert _states() == {"pending": 150}

    code = "import django; django.setup()\n" + SEND_DUE
    both = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    counts = []
    for process in both:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
        counts.append(int(out.decode().split()[-1]))

    assert sum(counts) == 150
    assert _states() == {"sent": 150}
    keys = sink.keys()
    assert len(keys) == 150 and set(keys.values()) == {1}


def test_a_tick_with_more_than_a_batch_due_sends_it_with_a_helper_beside_the_dispatcher(
    make_slot, book, sink, env, tmp_path
):
    slot = make_slot(days=3, capacity=150)
    for person in UserFactory.create_batch(150):
        book(slot, person)
    log = tmp_path / "worker.log"
    worker = CeleryWorker(env=env, log=log, concurrency=2).start()
    try:
        django_run(TICK, env=env)
        sink.wait_for(150)
        wait_until(lambda: _states() == {"sent": 150}, timeout=30, what="all sent")
    finally:
        worker.stop()

    keys = sink.keys()
    assert len(keys) == 150 and set(keys.values()) == {1}
    assert "notifications.tasks.send_due_notifications" in log.read_text()
