"""The Redis cache degrades while Redis is away (config.cache): no request fails, sessions come
from the database, and what Redis kept from before the outage is not trusted afterwards."""

import os
import socket
import uuid

import pytest
import redis
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import caches
from django.test import override_settings

from config import cache as resilient
from tests.factories import PASSWORD, UserFactory


def _closed_port_url():
    """A Redis URL nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _settings(url, prefix):
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }


@pytest.fixture(autouse=True)
def _fresh_state():
    resilient._down_until.clear()
    yield
    resilient._down_until.clear()


@pytest.fixture
def down_cache():
    with override_settings(CACHES=_settings(_closed_port_url(), "cplms-down")):
        yield caches["default"]


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide Redis (TEST_REDIS_URL, set by .ci/run)")
        pytest.skip("TEST_REDIS_URL not set")
    return url


def test_an_unreachable_redis_answers_as_an_empty_cache(down_cache):
    assert down_cache.get("k") is None
    assert down_cache.get("k", 7) == 7
    assert down_cache.set("k", 1) is None
    assert down_cache.add("k", 1) is False
    assert down_cache.incr("counter", 3) == 3  # a counter starts again: limits fail open
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert down_cache.delete("k") is False
    assert down_cache.has_key("k") is False
    assert down_cache.get_or_set("k", 5) == 5
    assert down_cache.touch("k") is False


def test_after_a_failure_redis_is_left_alone_until_the_retry_time(down_cache, monkeypatch):
    tries = []
    real = type(down_cache._cache).get_client

    def counting(self, *args, **kwargs):
        tries.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(down_cache._cache), "get_client", counting)
    down_cache.get("k")
    assert len(tries) == 1
    for _ in range(20):
        down_cache.get("k")
        down_cache.set("k", 1)
    assert len(tries) == 1  # no connect per call while it is known to be down
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0)
    resilient._down_until[down_cache._location] = 1  # the retry time has come
    down_cache.get("k")
    assert len(tries) == 2  # one ping, still refused


def test_a_login_and_the_next_pages_work_with_redis_away(client, db):
    UserFactory(username="200001")
    with override_settings(
        CACHES=_settings(_closed_port_url(), "cplms-down"),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        response = client.post(
            "/accounts/login/", {"username": "200001", "password": PASSWORD}, follow=True
        )
        assert response.status_code == 200
        assert response.context["user"].username == "200001"
        page = client.get("/learn/")
        assert page.status_code == 200
        assert page.context["user"].username == "200001"


def test_redis_back_clears_what_it_kept_from_before_the_outage(redis_url, db):
    prefix = f"cplms-test-{uuid.uuid4().hex[:8]}"
    raw = redis.Redis.from_url(redis_url)
    raw.set("not-ours", b"1")
    try:
        with override_settings(
            CACHES=_settings(redis_url, prefix),
            SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        ):
            cache = caches["default"]
            session = SessionStore()
            session["who"] = "teller"
            session.create()
            key = session.session_key
            assert cache.get(session.cache_key) is not None  # cached

            # An outage: the session is logged out meanwhile (the database row goes; the cached
            # copy cannot be deleted, Redis is away), and a counter moves on.
            cache.set("rate", 5)
            cache._failed(redis.exceptions.ConnectionError("simulated"))
            SessionStore(session_key=key).delete()
            assert cache.get(session.cache_key) is None  # not asked while down
            assert raw.exists(f"{prefix}:1:{session.cache_key}")  # still in Redis

            resilient._down_until[cache._location] = 1  # retry time reached: Redis answers
            assert SessionStore(session_key=key).load() == {}  # logged out stays logged out
            assert cache.get("rate") is None
            assert not raw.keys(f"{prefix}:*")
            assert raw.get("not-ours") == b"1"  # other keys of the Redis are left alone
            cache.set("after", 1)
            assert cache.get("after") == 1  # in use again
    finally:
        raw.delete("not-ours")
        for key in raw.scan_iter(match=f"{prefix}:*"):
            raw.delete(key)
