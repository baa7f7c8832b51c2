"""When a part is down: Redis (cache and broker) stopped, PostgreSQL connections cut.

The cache tests run in this process against a Redis of their own. The others start the
site as it runs in production, in processes of its own (gunicorn, a Celery worker), on a
redis-server of their own that they stop, or on a scratch database of the shared
PostgreSQL server whose connections they terminate.
"""

import http.client
import logging
import os
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from api.models import WebhookDelivery
from api.services import webhook_register
from common.cache import RedisOrMemoryCache
from incubators.models import NeedCategory
from notifications.models import Notification
from permanences.models import Booking
from tests.factories import PASSWORD, UserFactory
from tools.harness import (
    CeleryWorker,
    RedisServer,
    SmtpSink,
    WebhookReceiver,
    django_run,
    free_port,
    process_env,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
POSTGRES = "postgres://postgres@127.0.0.1:5432"
TICK = "from notifications.tasks import dispatch_notifications; dispatch_notifications.delay()"
WEBHOOKS_TICK = "from api.tasks import dispatch_webhooks; dispatch_webhooks.delay()"


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.cleanup()


def redis_cache(url: str, retry_seconds: float = 10) -> RedisOrMemoryCache:
    return RedisOrMemoryCache(
        url, {"KEY_PREFIX": "outage-test", "OPTIONS": {"RETRY_SECONDS": retry_seconds}}
    )


def in_redis(url: str) -> RedisCache:
    """The same keys, read and written in Redis itself (as another process would)."""
    return RedisCache(url, {"KEY_PREFIX": "outage-test"})


def nothing_listening() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def cache_settings(url: str) -> dict:
    return {"default": {"BACKEND": "common.cache.RedisOrMemoryCache", "LOCATION": url}}


# --- The cache, in this process ----------------------------------------------------------


def test_with_redis_down_the_cache_misses_and_keeps_values_in_memory(redis_server, caplog):
    cache = redis_cache(redis_server.url)
    cache.set("labels", "from redis")
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="common.cache"):
        assert cache.get("labels") is None
        cache.set("labels", "from memory")
        assert cache.get("labels") == "from memory"
        assert cache.add("lock", True) is True
        assert cache.add("lock", True) is False
        assert cache.get_many(["labels", "other"]) == {"labels": "from memory"}

    # Said once, not once per call.
    [record] = caplog.records
    assert "cannot be reached" in record.getMessage()


def test_after_a_failure_the_cache_leaves_redis_alone_then_uses_it_again(redis_server):
    cache = redis_cache(redis_server.url, retry_seconds=0.5)
    redis_server.stop()
    cache.set("key", "in memory")
    redis_server.start()  # same port
    in_redis(redis_server.url).set("key", "in redis")  # another process's write, say

    assert cache.get("key") == "in memory"  # not tried again yet
    time.sleep(0.6)
    assert cache.get("key") == "in redis"


def test_a_key_deleted_while_redis_was_down_is_deleted_in_redis_once_it_is_back(redis_server):
    cache = redis_cache(redis_server.url, retry_seconds=0.2)
    cache.set("labels", "stale")
    redis_server.stop()
    cache.get("labels")
    cache.delete("labels")  # an invalidation made during the outage
    redis_server.start()  # a network cut: Redis kept its data
    time.sleep(0.3)

    cache.get("anything")  # the first call that reaches Redis again

    assert in_redis(redis_server.url).get("labels") is None


def test_with_redis_down_a_cache_call_fails_over_fast_and_does_not_retry_each_time():
    cache = redis_cache(nothing_listening())
    started = time.monotonic()
    for _ in range(200):
        cache.set("key", "value")
        cache.get("key")
    assert time.monotonic() - started < 0.5


# --- The site, in this process -----------------------------------------------------------


@pytest.mark.django_db
def test_with_redis_down_the_slot_list_and_login_answer(client, make_slot):
    make_slot(days=3)
    person = UserFactory()
    with override_settings(CACHES=cache_settings(nothing_listening())):
        assert client.get("/en/permanences/").status_code == 200
        response = client.post("/en/accounts/login/", {"login": person.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_with_redis_down_failed_logins_are_still_limited(client):
    UserFactory(email="target@example.org")
    with override_settings(CACHES=cache_settings(nothing_listening())):
        for _attempt in range(5):
            client.post("/en/accounts/login/", {"login": "target@example.org", "password": "no"})
        response = client.post(
            "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
        )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_healthz_says_the_cache_is_down_while_redis_is_down(client):
    with override_settings(CACHES=cache_settings(nothing_listening())):
        response = client.get("/healthz/")
    assert response.status_code == 503
    checks = response.json()
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("error")


# --- The site as deployed: gunicorn, a Celery worker, Redis stopped ---------------------


class Visitor:
    """A browser without JavaScript: keeps cookies, posts forms with the CSRF token."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, text, response.headers.get("Location")

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)

    def log_in(self, email: str) -> None:
        status, _text, _location = self.get("/en/accounts/login/")
        assert status == 200
        status, text, location = self.post(
            "/en/accounts/login/", {"login": email, "password": PASSWORD}
        )
        # Signed in: sent on (to the onboarding, for someone of no company yet).
        assert status == 302 and "/accounts/login/" not in location, text[-2000:]


class Gunicorn:
    def __init__(self, *, env: dict[str, str], log: Path, workers: int):
        self.env, self.log, self.workers = env, log, workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        self._log = open(self.log, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [GUNICORN, "hub_eu.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--timeout", "60"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                return Visitor(self.port).get("/healthz/")[0] == 200
            except OSError:
                return False

        wait_until(answers, timeout=60, what="gunicorn")
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        self.process.wait(timeout=20)
        self.process = None
        self._log.close()


@pytest.fixture
def stop_at_end():
    """Registers what stops a process; all are stopped after the test, passed or not."""
    stops = []
    yield stops.append
    for stop in reversed(stops):
        stop()


def site_user():
    """Someone who can sign in to the site's own processes: the suite hashes passwords
    with MD5, which the site does not accept, so a PBKDF2 hash of few rounds."""
    person = UserFactory(language="fr")
    person.password = PBKDF2PasswordHasher().encode(PASSWORD, "outagesalt", iterations=1000)
    person.save(update_fields=["password"])
    return person


def _book(visitor: Visitor, slot_pk: int, category_pk: int) -> float:
    """Books the slot through the form; returns how long the POST took."""
    status, _text, _location = visitor.get(f"/en/permanences/slots/{slot_pk}/book/")
    assert status == 200
    started = time.monotonic()
    status, text, location = visitor.post(
        f"/en/permanences/slots/{slot_pk}/book/",
        {
            "category": category_pk,
            "topic": "Un prêt pour nos machines",
            "language": "fr",
            "consent_share_profile": "on",
        },
    )
    took = time.monotonic() - started
    assert status == 302, text[-2000:]
    assert location.startswith("/en/me/bookings/")
    return took


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_the_site_answers_bookings_are_fast_and_emails_follow(
    make_slot, redis_server, tmp_path, stop_at_end
):
    """…and so do the agency's webhooks: each booking reaches its system once."""
    slots = list(make_slot(days=3).schedule.slots.order_by("starts_at")[:4])
    category = NeedCategory.objects.get(slug="financing")
    # One person per booking: an agency caps how many upcoming bookings one person holds.
    people = [site_user() for _slot in slots]
    sink = SmtpSink().start()
    stop_at_end(sink.stop)
    receiver = WebhookReceiver()
    stop_at_end(receiver.stop)
    endpoint = webhook_register(
        agency=slots[0].agency, url=receiver.url, events=["booking.created"]
    )
    receiver.secret = endpoint.secret
    env = process_env(
        broker=redis_server.url,
        smtp=sink.url,
        REDIS_URL=redis_server.url,
        VAR_DIR=str(tmp_path / "var"),
        WEBHOOKS_ALLOW_LOCAL="true",
    )
    worker = CeleryWorker(env=env, log=tmp_path / "worker.log")
    stop_at_end(worker.stop)
    worker.start()
    # Two processes, as in production: each has its own connections to Redis.
    web = Gunicorn(env=env, log=tmp_path / "gunicorn.log", workers=2)
    stop_at_end(web.stop)
    web.start()

    visitor = Visitor(web.port)
    visitor.log_in(people[0].email)
    assert visitor.get("/en/permanences/")[0] == 200
    _book(visitor, slots[0].pk, category.pk)  # the broker connections are open now
    sink.wait_for(1)
    wait_until(lambda: len(receiver.received) == 1, timeout=30, what="the first webhook")

    redis_server.stop()

    assert visitor.get("/en/permanences/")[0] == 200
    took = []
    for slot, person in zip(slots[1:], people[1:], strict=True):
        newcomer = Visitor(web.port)
        newcomer.log_in(person.email)
        took.append(_book(newcomer, slot.pk, category.pk))
    assert max(took) < 1.0, took
    status, text, _location = visitor.get("/healthz/")
    assert status == 503
    assert '"database": "ok"' in text and '"cache": "error' in text
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() == 4

    redis_server.start()  # same port: the worker reconnects

    django_run(TICK, env=env)  # what beat does every minute
    sink.wait_for(4, timeout=60)
    django_run(TICK, env=env)
    wait_until(
        lambda: set(Notification.objects.values_list("state", flat=True)) == {"sent"},
        timeout=30,
        what="every notification sent",
    )
    django_run(WEBHOOKS_TICK, env=env)
    wait_until(lambda: len(receiver.received) >= 4, timeout=30, what="every webhook")
    time.sleep(1)  # time for a duplicate to arrive, if there were one
    assert sorted(sink.keys().values()) == [1, 1, 1, 1]
    assert len(receiver.received) == 4
    assert len({sent["delivery"] for sent in receiver.received}) == 4
    assert all(sent["signed"] for sent in receiver.received)
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}
    assert "Traceback" not in web.log.read_text()


# --- PostgreSQL cuts the connections: the next request reconnects ----------------------


def _postgres(sql: str, database: str = "postgres") -> None:
    connection = psycopg2.connect(f"{POSTGRES}/{database}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@pytest.fixture
def scratch_database():
    """An empty database of its own on the shared PostgreSQL server, whatever database
    the suite runs on; dropped at the end."""
    name = f"hub_eu_outage_{os.getpid()}"
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{name}"')
    yield name
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_after_postgresql_cuts_its_connections_the_next_request_and_task_work(
    scratch_database, tmp_path, stop_at_end
):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL"}
    }
    # Connections kept between requests, as in production.
    env["DATABASE_URL"] = f"{POSTGRES}/{scratch_database}?conn_max_age=600"
    env["VAR_DIR"] = str(tmp_path / "var")  # the embedded broker, shared by the processes
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migrated.returncode == 0, migrated.stderr
    web = Gunicorn(env=env, log=tmp_path / "gunicorn.log", workers=1)
    stop_at_end(web.stop)
    web.start()
    worker = CeleryWorker(env=env, log=tmp_path / "worker.log")
    stop_at_end(worker.stop)
    worker.start()

    visitor = Visitor(web.port)
    assert visitor.get("/en/permanences/")[0] == 200
    django_run(TICK, env=env)
    wait_until(lambda: "succeeded" in worker.log.read_text(), timeout=30, what="a task")

    # What a restart of PostgreSQL does to the connections the site holds.
    _postgres(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{scratch_database}' AND pid <> pg_backend_pid()"
    )

    assert visitor.get("/en/permanences/")[0] == 200
    assert visitor.get("/healthz/")[0] == 200
    django_run(TICK, env=env)
    wait_until(lambda: worker.log.read_text().count("succeeded") == 2, timeout=30, what="a task")
    assert "Traceback" not in worker.log.read_text()
