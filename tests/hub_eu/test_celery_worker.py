"""A real Celery worker, started as its own process, runs a task sent through the broker
the settings choose: the embedded filesystem broker by default, Redis when REDIS_URL is set."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def _cache_for(var_dir: Path):
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisCache(redis_url, {"KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hub_eu")})
    return FileBasedCache(str(var_dir / "cache"), {})


@pytest.mark.slow
def test_a_real_worker_runs_a_task_sent_through_the_broker(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "CELERY_TASK_ALWAYS_EAGER": "false"}
    if os.environ.get("REDIS_URL"):
        # A queue of its own, so no other worker on this Redis takes the task.
        env["CELERY_TASK_DEFAULT_QUEUE"] = f"test-{os.getpid()}"
    queue = env.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
    from hub_eu.core.tasks import HEARTBEAT_KEY

    cache = _cache_for(tmp_path)
    cache.delete(HEARTBEAT_KEY)
    worker = subprocess.Popen(
        [
            CELERY,
            "-A",
            "hub_eu",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=warning",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sent = subprocess.run(
            [CELERY, "-A", "hub_eu", "call", "hub_eu.core.tasks.heartbeat", "--queue", queue],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sent.returncode == 0, sent.stderr
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and cache.get(HEARTBEAT_KEY) is None:
            time.sleep(0.3)
        assert cache.get(HEARTBEAT_KEY) is not None, "the worker never ran the task"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "Traceback" not in output, output
