"""The shared cache on Redis, degrading instead of failing while Redis is away.

Redis holds what can be lost: the sessions' cached copies (``cached_db``: the database keeps every
session), request counters (``lms.services.rate_limit``, the attestation's wrong-password count)
and tokens fetched from the bank's identity and WeCom services. None of it is worth a failed
request, so when Redis does not answer, ``ResilientRedisCache`` answers as an empty cache that
keeps nothing: a read misses, a write is dropped, a counter starts again from its delta. Sessions
then come from the database, counters fail open for the outage (logins stay limited: django-axes
counts failures in the database), tokens are fetched again.

A process that has seen Redis fail does not ask it again for ``RETRY_SECONDS`` (each request would
otherwise wait for a connect timeout), then pings it. When Redis answers again, the process first
deletes the cache's own keys (``KEY_PREFIX``): a session logged out or a counter reset while Redis
was away must not come back from a copy Redis kept (a Redis that restarted holds nothing anyway).
Only then does it use the cache again. Every change of state is logged once, not per request.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("config.cache")

#: Seconds a process leaves Redis alone after a failure before it tries again.
RETRY_SECONDS = 5.0
#: Keys deleted per command when the cache's own keys are cleared after an outage.
CLEAR_BATCH = 1000

# Per process and per Redis location: when Redis may be tried again (0: Redis is in use).
_down_until = {}
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``, answering as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    # --- state -----------------------------------------------------------------------------

    def _usable(self):
        """Whether to ask Redis now: yes when it is in use; after a failure, once the retry time
        has come and Redis answers a ping, with the cache's own keys cleared first."""
        until = _down_until.get(self._location, 0)
        if not until:
            return True
        if time.monotonic() < until:
            return False
        with _lock:
            if not _down_until.get(self._location):
                return True  # another thread of this process recovered it meanwhile
            try:
                client = self._cache.get_client(write=True)
                client.ping()
                cleared = self._clear_own_keys(client)
            except RedisError as error:
                _down_until[self._location] = time.monotonic() + RETRY_SECONDS
                logger.debug("cache: Redis still unreachable (%s)", error)
                return False
            _down_until[self._location] = 0
        logger.warning("cache: Redis is back; %d keys of this cache cleared", cleared)
        return True

    def _failed(self, error):
        with _lock:
            first = not _down_until.get(self._location)
            _down_until[self._location] = time.monotonic() + RETRY_SECONDS
        if first:
            logger.error(
                "cache: Redis unreachable (%s: %s); answering as an empty cache for now",
                type(error).__name__,
                error,
            )

    def _clear_own_keys(self, client):
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        batch, cleared = [], 0
        for key in client.scan_iter(match=pattern, count=CLEAR_BATCH):
            batch.append(key)
            if len(batch) >= CLEAR_BATCH:
                cleared += client.unlink(*batch)
                batch = []
        if batch:
            cleared += client.unlink(*batch)
        return cleared

    def _call(self, name, fallback, *args, **kwargs):
        if not self._usable():
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            self._failed(error)
            return fallback

    # --- the cache API ---------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # What was not stored, as Django's set_many says: all of it.
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # A counter Redis cannot keep starts again: the callers' limits fail open while it is away.
        return self._call("incr", delta, key, delta, version)

    def clear(self):
        return self._call("clear", False)
