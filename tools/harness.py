"""Real servers on spare ports, for the worker tests and `make bench`: a Redis of their
own (they may stop it without touching the shared one), a local SMTP server that keeps
what it receives, and Celery workers run as separate processes against a given database.

Development-only: aiosmtpd comes with the `dev` extra.
"""

import asyncio
import email
import email.parser
import email.policy
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"Gave up waiting for {what} after {timeout} s")


class RedisServer:
    """A redis-server of our own on a spare port, without persistence."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="hub-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what=f"redis on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        while self.sink.holding():
            await asyncio.sleep(0.02)
        if server.transport is None or server.transport.is_closing():
            # The sender is gone before we answered: it cannot know the message
            # arrived, so, like a real server, we do not deliver it.
            return "421 Sender gone"
        self.sink.receive(envelope.content)
        return "250 Message accepted"


class SmtpSink:
    """A local SMTP server that keeps every message. `hold_after(n)` makes it stop
    answering once it has n messages (a sender then waits for its reply), to kill a
    worker in the middle of a batch; `release()` answers again."""

    def __init__(self):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per command

        self.port = free_port()
        self.raw: list[bytes] = []
        self._lock = threading.Lock()
        self._hold_at: int | None = None
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release()
        self.controller.stop()

    def receive(self, content: bytes) -> None:
        # Parsed when asked for: parsing here would slow the server down.
        with self._lock:
            self.raw.append(content)

    @property
    def messages(self) -> list:
        with self._lock:
            raw = list(self.raw)
        return [email.message_from_bytes(content, policy=email.policy.default) for content in raw]

    def holding(self) -> bool:
        with self._lock:
            return self._hold_at is not None and len(self.raw) >= self._hold_at

    def hold_after(self, count: int) -> None:
        with self._lock:
            self._hold_at = count

    def release(self) -> None:
        with self._lock:
            self._hold_at = None

    def count(self) -> int:
        with self._lock:
            return len(self.raw)

    def keys(self) -> Counter:
        """How many times each notification arrived (by its X-Hub-Notification key)."""
        with self._lock:
            raw = list(self.raw)
        parser = email.parser.BytesHeaderParser()
        return Counter(str(parser.parsebytes(content)["X-Hub-Notification"]) for content in raw)

    def wait_for(self, count: int, *, timeout: float = 30) -> None:
        wait_until(lambda: self.count() >= count, timeout=timeout, what=f"{count} emails")


SINK_SCRIPT = """
import asyncio, email.parser, sys, time
from aiosmtpd.controller import Controller

class Keys:
    def __init__(self, out):
        self.out = out
        self.parser = email.parser.BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):
        key = self.parser.parsebytes(envelope.content)["X-Hub-Notification"]
        self.out.write(f"{key}\\n")
        self.out.flush()
        return "250 Message accepted"

with open(sys.argv[2], "a") as out:
    controller = Controller(Keys(out), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)
"""


class SmtpSinkProcess:
    """The same local SMTP server in a process of its own, so that what it costs is not
    shared with the process measuring (the bench). It writes one line per message: the
    message's X-Hub-Notification key."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSinkProcess":
        self.log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK_SCRIPT, str(self.port), str(self.log)],
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("The SMTP sink did not start")
        return self

    def count(self) -> int:
        return len(self.log.read_text().splitlines())

    def keys(self) -> Counter:
        return Counter(self.log.read_text().splitlines())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def database_url() -> str:
    """The URL of the database this process uses (the test database during tests)."""
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{data['NAME']}"
    user = data.get("USER") or "postgres"
    password = f":{data['PASSWORD']}" if data.get("PASSWORD") else ""
    host, port = data.get("HOST") or "127.0.0.1", data.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{data['NAME']}?conn_max_age=60"


def process_env(*, broker: str, smtp: str, **extra: str) -> dict[str, str]:
    """The environment of a Django process working on this process's database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub_eu.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": smtp,
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def django_run(code: str, *, env: dict[str, str], timeout: float = 60) -> str:
    """Run Python code in a fresh Django process (the way a web request or beat would)."""
    prelude = "import django; django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Django process failed:\n{done.stderr[-3000:]}")
    return done.stdout


class CeleryWorker:
    """`celery worker` in a process group of its own, so it can be killed whole."""

    def __init__(self, *, env: dict[str, str], log: Path, concurrency: int = 1):
        self.env, self.log, self.concurrency = env, log, concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> "CeleryWorker":
        celery = Path(sys.executable).with_name("celery")
        self._log = open(self.log, "a")  # noqa: SIM115 - closed in stop()/kill()
        start = self.log.stat().st_size
        self.process = subprocess.Popen(
            [str(celery), "-A", "hub_eu", "worker", "--loglevel=info"]
            + ["--pool=prefork" if self.concurrency > 1 else "--pool=solo"]
            + [f"--concurrency={self.concurrency}", "--without-mingle", "--without-gossip"]
            + ["--hostname", f"test-{os.getpid()}-{time.monotonic_ns()}@%h"],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited:\n{self.log.read_text()[-3000:]}")
            with open(self.log) as log:
                log.seek(start)
                return " ready." in log.read()

        wait_until(ready, timeout=60, what="the Celery worker")
        return self

    def _signal(self, sig: int) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a pulled plug would: no cleanup at all."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)


class WebhookReceiver:
    """An agency's system, listening in a thread of this process: answers each POST
    with the next status of `answers` (then 200), and checks each signature with
    `secret`, as docs/webhooks.md tells it to."""

    def __init__(self):
        self.secret = ""
        self.answers: list[int] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                header = self.headers.get("X-Hub-Signature", "")
                parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
                expected = hmac.new(
                    receiver.secret.encode(),
                    f"{parts.get('t', '')}.".encode() + body,
                    hashlib.sha256,
                ).hexdigest()
                receiver.received.append(
                    {
                        "event": self.headers["X-Hub-Event"],
                        "delivery": self.headers["X-Hub-Delivery"],
                        "signed": hmac.compare_digest(expected, parts.get("v1", "")),
                        "fresh": abs(time.time() - int(parts.get("t", "0"))) < 300,
                        "header": header,
                        "raw": body,
                        "body": json.loads(body),
                    }
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"thanks" if status < 300 else b"database is down")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/hub"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        return [r["event"] for r in self.received]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
