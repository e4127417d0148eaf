"""The providers' breaker and figures, on the Redis cache of the tests and on local memory
(``make run``)."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from billers import health
from portal.lib.cache import redis_client

CACHES = {
    "redis": None,  # the settings' cache (Redis when REDIS_URL is set, as in `make test`)
    "locmem": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


PROVIDER = 424242


def _forget_the_provider():
    """Its keys gone, and only its: the Redis database is shared with the other pytest-xdist
    worker (``cache.clear()`` would empty it under that worker's tests), and what this
    process remembers of it."""
    health._seen.pop(PROVIDER, None)
    client = redis_client()
    if client is None:
        cache.clear()
        return
    keys = list(client.scan_iter(cache.make_key(health._key(PROVIDER, "*"))))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=sorted(CACHES))
def fresh_cache(request, settings):
    if CACHES[request.param] is not None:
        settings.CACHES = CACHES[request.param]
    settings.BILLERS_BREAKER_FAILURES = 3
    settings.BILLERS_BREAKER_COOLDOWN = 30
    _forget_the_provider()
    yield request.param
    _forget_the_provider()


def test_the_breaker_opens_after_failures_in_a_row_and_a_success_resets_the_count(
    fresh_cache,
):
    for _ in range(2):
        health.record(PROVIDER, ok=False, seconds=0.2)
    health.record(PROVIDER, ok=True, seconds=0.1)
    for _ in range(2):
        health.record(PROVIDER, ok=False, seconds=0.2)
    assert health.allow(PROVIDER)
    assert health.breaker_state(PROVIDER) == "closed"
    health.record(PROVIDER, ok=False, seconds=0.2)
    assert health.breaker_state(PROVIDER) == "open"
    assert not health.allow(PROVIDER)


def test_after_the_cooldown_one_probe_passes_and_its_outcome_decides(fresh_cache):
    for _ in range(3):
        health.record(PROVIDER, ok=False, seconds=1)
    cache.delete(health._key(PROVIDER, "open"))  # the cooldown is over
    assert health.breaker_state(PROVIDER) == "half-open"
    assert health.allow(PROVIDER) is True
    assert health.allow(PROVIDER) is False  # only one probe at a time
    health.record(PROVIDER, ok=False, seconds=1)  # the probe failed: open again
    assert health.breaker_state(PROVIDER) == "open"
    cache.delete(health._key(PROVIDER, "open"))
    assert health.allow(PROVIDER) is True
    health.record(PROVIDER, ok=True, seconds=0.05)  # the probe succeeded: closed
    assert health.breaker_state(PROVIDER) == "closed"
    assert health.allow(PROVIDER) and health.allow(PROVIDER)


def test_figures_count_calls_errors_and_latency_quantiles(fresh_cache):
    for _ in range(98):
        health.record(PROVIDER, ok=True, seconds=0.04)  # ≤ 50 ms bucket
    health.record(PROVIDER, ok=True, seconds=1.2)  # ≤ 1500 ms
    health.record(PROVIDER, ok=False, seconds=2.5)  # ≤ 3000 ms
    figures = health.health(PROVIDER)
    assert (figures.calls, figures.errors) == (100, 1)
    assert figures.error_rate == pytest.approx(0.01)
    assert figures.p50_ms == 50
    assert figures.p99_ms == 1500
    assert figures.state == "closed"
    health.breaker_reset(PROVIDER)
    assert health.health(PROVIDER + 1).calls == 0
    assert health.health(PROVIDER + 1).p50_ms is None


def _tripped_elsewhere():
    """Another process's trip: the shared keys only (this process's memory untouched)."""
    cache.set(health._key(PROVIDER, "open"), 1, 30)
    cache.set(health._key(PROVIDER, "tripped"), 1, 30)


def test_a_process_trusts_what_it_read_for_the_window_then_reads_again(
    fresh_cache, settings
):
    settings.BILLERS_BREAKER_SEEN_SECONDS = 0.05
    assert health.allow(PROVIDER)
    _tripped_elsewhere()
    assert health.allow(PROVIDER)  # read before the trip, still trusted
    deadline = time.monotonic() + 0.05
    while time.monotonic() < deadline:
        time.sleep(0.01)
    assert not health.allow(PROVIDER)


def test_what_this_process_changes_it_sees_at_once(fresh_cache, settings):
    settings.BILLERS_BREAKER_SEEN_SECONDS = 3600
    assert health.allow(PROVIDER)
    for _ in range(3):
        health.record(PROVIDER, ok=False, seconds=1)
    assert not health.allow(PROVIDER)  # its own trip
    health.breaker_reset(PROVIDER)
    assert health.allow(PROVIDER)  # its own reset
    _tripped_elsewhere()
    cache.delete(health._key(PROVIDER, "open"))  # the cooldown over: half-open
    health._seen.pop(PROVIDER)
    assert health.allow(PROVIDER)  # the probe
    health.record(PROVIDER, ok=True, seconds=0.05)  # the probe closed it
    assert health.allow(PROVIDER) and health.allow(PROVIDER)
    _tripped_elsewhere()  # the fixture's end expects it open
