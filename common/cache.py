"""The cache backend for Redis that keeps pages working while Redis is down."""

import logging
import re
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# While Redis stays down, one line per this many seconds says so, not one per cache call.
LOG_EVERY_SECONDS = 60.0


class _Outage:
    """What one process knows of one Redis: whether it is down, and until when nobody
    tries it again. Shared by the cache objects of every thread (Django makes one per
    thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        self.logged_at = 0.0
        # Keys deleted while Redis was down: deleted there too once it is back, so that an
        # invalidation made during the outage is not undone by a stale copy in Redis.
        self.deleted: set[str] = set()

    def skip_redis(self) -> bool:
        with self.lock:
            return self.down and time.monotonic() < self.retry_at

    def failed(self, location: str, exc: Exception, retry_seconds: float) -> None:
        now = time.monotonic()
        with self.lock:
            first = not self.down
            self.down = True
            self.retry_at = now + retry_seconds
            if not first and now - self.logged_at < LOG_EVERY_SECONDS:
                return
            self.logged_at = now
        logger.warning(
            "Cache: Redis at %s %s (%s); this process caches in its own memory and tries "
            "Redis again every %s s.",
            location,
            "cannot be reached" if first else "is still down",
            exc,
            retry_seconds,
        )

    def answered(self, location: str) -> set[str] | None:
        """Redis answered: if it was down, end the outage and return the keys to delete."""
        with self.lock:
            if not self.down:
                return None
            self.down = False
            deleted, self.deleted = self.deleted, set()
        logger.warning("Cache: Redis at %s answers again; the cache is shared again.", location)
        return deleted


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class RedisOrMemoryCache(RedisCache):
    """Django's Redis cache, answered from this process's memory while Redis is down.

    A connection error or timeout is logged, not raised: the call goes to a LocMemCache of
    the process instead (a get misses, a set is kept there). allauth's rate limits then
    count per process rather than across processes: weaker, but still in force. For
    RETRY_SECONDS after a failure no call tries Redis, so a page does not wait for a
    connect timeout on each of its cache calls; the first call after that tries again.

    OPTIONS are redis-py's connection options (socket_connect_timeout, socket_timeout...),
    plus RETRY_SECONDS.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 10))
        # redis-py waits as long as the operating system lets it by default (minutes when
        # the host does not answer at all).
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        self._location = re.sub(r"//[^/@]*@", "//", location)  # no password in the logs
        with _outages_lock:
            self._outage = _outages.setdefault(self._location, _Outage())
        same_keys = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
        memory_params = {key: params[key] for key in same_keys if key in params}
        self._memory = LocMemCache(f"redis-down:{self._location}", memory_params)

    def _redis_or_memory(self, method: str, *args, **kwargs):
        if self._outage.skip_redis():
            return getattr(self._memory, method)(*args, **kwargs)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._outage.failed(self._location, exc, self.retry_seconds)
            return getattr(self._memory, method)(*args, **kwargs)
        deleted = self._outage.answered(self._location)
        if deleted is not None:
            self._back(deleted)
        return result

    def _back(self, deleted: set[str]) -> None:
        """What this process wrote during the outage stays behind: a later outage starts
        from an empty memory, not from stale values."""
        self._memory.clear()
        if deleted:
            try:
                self._cache.delete_many(list(deleted))
            except UNREACHABLE as exc:
                self._outage.failed(self._location, exc, self.retry_seconds)
                with self._outage.lock:
                    self._outage.deleted.update(deleted)

    def _remember_deleted(self, keys, version) -> None:
        if self._outage.down:  # the delete went to the memory only
            made = [self.make_and_validate_key(key, version=version) for key in keys]
            with self._outage.lock:
                self._outage.deleted.update(made)

    def ping(self) -> None:
        """Raise unless Redis itself answers (the health check asks Redis, not the memory
        that stands in for it)."""
        self._cache.get_client(None, write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_memory("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._redis_or_memory("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_memory("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_memory("touch", key, timeout, version)

    def delete(self, key, version=None):
        result = self._redis_or_memory("delete", key, version)
        self._remember_deleted([key], version)
        return result

    def get_many(self, keys, version=None):
        return self._redis_or_memory("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._redis_or_memory("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._redis_or_memory("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._redis_or_memory("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        result = self._redis_or_memory("delete_many", keys, version)
        self._remember_deleted(keys, version)
        return result

    def clear(self):
        return self._redis_or_memory("clear")
