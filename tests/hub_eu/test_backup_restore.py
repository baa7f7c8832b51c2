"""bin/backup and bin/restore against the PostgreSQL server on 127.0.0.1:5432, whatever
DATABASE_URL the suite runs on: each test makes scratch databases of its own there
(named after the process, so two runs do not clash) and drops them at the end."""

import datetime
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"
PREFIX = f"hub_eu_bk{os.getpid()}_"


def psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", f"{SERVER}/{database}", "-c", sql],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def databases() -> set[str]:
    return set(
        psql(f"SELECT datname FROM pg_database WHERE starts_with(datname, '{PREFIX}')").split()
    )


@pytest.fixture
def scratch():
    """Makes empty databases on demand; drops every database of this run afterwards
    (those bin/restore made or kept included)."""

    def create(suffix: str) -> str:
        name = PREFIX + suffix
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{name}"')
        return name

    yield create
    for name in databases():
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_env(tmp_path: Path, database: str) -> dict[str, str]:
    """The environment of a process of the site on `database`, with its own var/ and the
    embedded broker and cache (nothing of the suite's Redis)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    # The Django options the site's URL carries are no trouble to the scripts.
    env["DATABASE_URL"] = f"{SERVER}/{database}?conn_max_age=60"
    env["VAR_DIR"] = str(tmp_path / "var")
    env["PYTHON"] = sys.executable
    return env


def run(args: list[str], env: dict[str, str], **extra) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **extra)


def dumps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, *, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_pg_dump_here_can_dump_the_server():
    """pg_dump refuses a server of a newer major version; the compose file pins the
    postgres image of the db service's version for the same reason."""
    client = run(["pg_dump", "--version"], os.environ).stdout
    client_major = int(re.search(r"(\d+)\.\d+", client).group(1))
    server_major = int(psql("SHOW server_version_num")) // 10000
    assert client_major >= server_major, f"{client.strip()} cannot dump PostgreSQL {server_major}"


@pytest.mark.slow
def test_a_dump_restored_into_a_fresh_database_serves_the_demo(scratch, tmp_path):
    source = scratch("source")
    env = site_env(tmp_path, source)
    for command in (["migrate", "--noinput", "-v0"], ["demo_data", "--quiet-logins"]):
        done = run([sys.executable, "manage.py", *command], env)
        assert done.returncode == 0, done.stderr
    backups = tmp_path / "backups"

    done = run(["bin/backup", "once"], {**env, "BACKUP_DIR": str(backups)})

    assert done.returncode == 0, done.stderr
    [dump] = dumps(backups)
    assert re.fullmatch(r"hub_eu-\d{8}-\d{6}\.dump", dump)

    # The database it replaces holds something: it must be kept, not overwritten.
    target = scratch("target")
    psql(
        "CREATE TABLE before_restore (note text); INSERT INTO before_restore VALUES ('kept')",
        target,
    )
    env = site_env(tmp_path, target)

    done = run(["bin/restore", str(backups / dump)], env)

    assert done.returncode == 0, done.stderr
    [kept] = databases() - {source, target}
    assert kept.startswith(f"{target}_before_")
    assert psql("SELECT note FROM before_restore", kept) == "kept"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        incubators = get(f"http://127.0.0.1:{port}/en/incubators/", timeout=30)
        slots = get(f"http://127.0.0.1:{port}/en/permanences/", timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The demo's incubators exist only in the dumped database (the agencies come with
    # the migrations).
    for name in ("ICAB", "BeCentral", "Greenbizz", "Silversquare"):
        assert name in incubators
    assert "Impulse" in slots


def fake_dump(directory: Path, day: datetime.date, time_of_day: str = "020000") -> str:
    name = f"hub_eu-{day:%Y%m%d}-{time_of_day}.dump"
    (directory / name).write_bytes(b"old")
    return name


def test_retention_keeps_the_newest_dumps_and_the_newest_of_each_recent_week(scratch, tmp_path):
    source = scratch("small")
    psql("CREATE TABLE t (x int); INSERT INTO t VALUES (1)", source)
    backups = tmp_path / "backups"
    backups.mkdir()
    # Dailies from Monday 2 to Sunday 22 March 2020, three calendar weeks.
    days = [datetime.date(2020, 3, 2) + datetime.timedelta(days=n) for n in range(21)]
    made = [fake_dump(backups, day) for day in days]
    stale_partial = backups / ".hub_eu-20200301-020000.dump.partial-123"
    stale_partial.write_bytes(b"half")
    old = time.time() - 3 * 86400
    os.utime(stale_partial, (old, old))
    running_partial = backups / ".hub_eu-20200322-030000.dump.partial-456"
    running_partial.write_bytes(b"being written")
    (backups / "notes.txt").write_text("not a dump")
    env = {**site_env(tmp_path, source), "BACKUP_DIR": str(backups)}

    done = run(["bin/backup", "once"], {**env, "BACKUP_KEEP_DAILY": "3", "BACKUP_KEEP_WEEKLY": "4"})

    assert done.returncode == 0, done.stderr
    [new] = [name for name in dumps(backups) if name.startswith("hub_eu-") and name not in made]
    assert dumps(backups) == sorted(
        [
            ".hub_eu-20200322-030000.dump.partial-456",
            # the newest of the three weeks before this one (the fourth week)
            "hub_eu-20200308-020000.dump",
            "hub_eu-20200315-020000.dump",
            # the newest three (20200322 is also the newest of its week)
            "hub_eu-20200321-020000.dump",
            "hub_eu-20200322-020000.dump",
            new,
            "notes.txt",
        ]
    )
    assert "deleted hub_eu-20200302-020000.dump" in done.stdout


def test_a_failed_dump_writes_nothing_and_deletes_nothing(scratch, tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    old = [fake_dump(backups, datetime.date(2020, 1, day)) for day in range(1, 11)]
    env = {
        **site_env(tmp_path, PREFIX + "missing"),
        "BACKUP_DIR": str(backups),
        "BACKUP_KEEP_DAILY": "1",
        "BACKUP_KEEP_WEEKLY": "0",
    }

    done = run(["bin/backup", "once"], env)

    assert done.returncode != 0
    assert "ERROR" in done.stderr
    assert dumps(backups) == old


def test_restore_refuses_an_unfinished_dump_and_leaves_the_database_alone(scratch, tmp_path):
    target = scratch("untouched")
    psql("CREATE TABLE t (x int); INSERT INTO t VALUES (7)", target)
    truncated = tmp_path / "hub_eu-20200101-020000.dump"
    dumped = run(
        ["pg_dump", "--format=custom", f"--file={truncated}", f"{SERVER}/{target}"], os.environ
    )
    assert dumped.returncode == 0, dumped.stderr
    truncated.write_bytes(truncated.read_bytes()[:200])

    done = run(["bin/restore", str(truncated)], site_env(tmp_path, target))

    assert done.returncode != 0
    assert "not a complete" in done.stderr
    assert psql("SELECT x FROM t", target) == "7"
    assert databases() == {target}
