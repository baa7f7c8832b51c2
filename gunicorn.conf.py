"""gunicorn as production runs it: the Docker image, the compose file's web service and
the bench (`tools/bench`, which measures this configuration) all start it with
`gunicorn --config gunicorn.conf.py hub_eu.wsgi:application`. gunicorn also reads this
file by itself when started from the repository root. Flags on the command line (or in
GUNICORN_CMD_ARGS) win over it.

Each setting can be changed from the environment; the defaults suit a 2-core machine.
"""

import os
from pathlib import Path

# GUNICORN_BIND, else every interface on PORT (8000): inside a container the proxy and
# the health check reach it from outside the loopback.
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Processes x threads: a page mostly waits on PostgreSQL and Redis, so threads keep the
# CPUs busy without a process each. Every thread holds its own database connection
# (conn_max_age): workers x threads x web replicas must stay under max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"

# A request still running after this long has its worker restarted (an answer of 502 at
# the proxy): no page should come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a deploy, `docker compose stop`), requests under way get this long to end;
# under Docker's stop_grace_period for web, and under the 20 s the tests wait.
graceful_timeout = 10
# Behind the proxy, which keeps its connections to gunicorn open between requests.
keepalive = 5

# Each worker is replaced after about this many requests (jitter: not all at once), so a
# slow leak in a library cannot grow forever; 0 turns it off. High enough that a restart
# (about a second of CPU to import Django again) is rare under load.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10

# Access log and errors on stdout/stderr, where Docker collects them. The first field is
# the proxy's address; the client's is in X-Forwarded-For, logged after it.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'

# The workers' heartbeat files: in memory when there is /dev/shm (a container's /tmp may
# sit on an overlay filesystem, where a slow write looks like a hung worker).
if Path("/dev/shm").is_dir():  # noqa: S108 - gunicorn's heartbeat files, not user data
    worker_tmp_dir = "/dev/shm"  # noqa: S108
