"""Each provider's health, shared by every process through the cache (Redis in production):
calls, errors and a latency histogram per minute, and a circuit breaker.

The breaker opens after ``BREAKER_FAILURES`` failures in a row: for ``BREAKER_COOLDOWN``
seconds the provider is skipped. Then one caller, and only one, is let through as a probe
(``cache.add``); its success closes the breaker, its failure opens it again.

A process trusts what it read of a breaker for ``BILLERS_BREAKER_SEEN_SECONDS`` (a quarter of
a second): at the peak every payment asked Redis, one more round trip while it held its
database connection. A breaker that another process opens or closes is seen that much later;
one this process trips, resets or closes with its probe, at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

from portal.lib.cache import Script, redis_client

# Upper bounds of the latency histogram, in milliseconds (the last one catches the rest).
BOUNDS_MS = (10, 25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000)
WINDOW_MINUTES = 5
BUCKET_TTL = (WINDOW_MINUTES + 2) * 60


def _setting(name: str, default):
    return getattr(settings, name, default)


def _minute(now: float) -> int:
    return int(now // 60)


def _bucket_of(ms: float) -> int:
    for index, bound in enumerate(BOUNDS_MS):
        if ms <= bound:
            return index
    return len(BOUNDS_MS)


def _key(provider_id: int, *parts) -> str:
    return ":".join(["billers", str(provider_id), *map(str, parts)])


def _incr(key: str, by: int = 1, ttl: int = BUCKET_TTL) -> int:
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key, by)
    except ValueError:  # expired between the two calls
        cache.set(key, by, ttl)
        return by


# One call's outcome in one round trip: KEYS = its three counters of the minute, the failures
# in a row, the "tripped" mark; ARGV = the counters' lifetime, 1 for a success. A success
# forgets the failures and the mark; a failure answers {failures in a row, whether the call
# was the probe of a tripped breaker}.
_RECORD = Script("""
for i = 1, 3 do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
if ARGV[2] == '1' then
  redis.call('DEL', KEYS[4], KEYS[5])
  return {0, 0}
end
local fails = redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[4], 3600)
return {fails, redis.call('EXISTS', KEYS[5])}
""")


def record(provider_id: int, *, ok: bool, seconds: float) -> None:
    """One call's outcome, for the staff's figures and the breaker."""
    minute = _minute(time.time())
    outcome = "ok" if ok else "err"
    counted = [
        _key(provider_id, minute, "calls"),
        _key(provider_id, minute, "lat", _bucket_of(seconds * 1000)),
        _key(provider_id, minute, outcome),
    ]
    client = redis_client()
    if client is None:
        for key in counted:
            _incr(key)
        fails = _incr(_key(provider_id, "fails"), ttl=3600) if not ok else 0
        if ok:
            cache.delete_many(
                [_key(provider_id, "fails"), _key(provider_id, "tripped")]
            )
        probing = cache.get(_key(provider_id, "tripped")) is not None
    else:
        keys = [*counted, _key(provider_id, "fails"), _key(provider_id, "tripped")]
        fails, probing = _RECORD(
            client, [cache.make_key(key) for key in keys], [BUCKET_TTL, int(ok)]
        )
    if not ok and (probing or fails >= _setting("BILLERS_BREAKER_FAILURES", 5)):
        _trip(provider_id)
    elif ok and (seen := _seen.get(provider_id)) is not None and seen.tripped:
        _seen.pop(provider_id, None)  # the probe closed it: no longer tripped


def _trip(provider_id: int) -> None:
    cooldown = _setting("BILLERS_BREAKER_COOLDOWN", 30)
    cache.set(_key(provider_id, "open"), 1, cooldown)
    cache.set(_key(provider_id, "tripped"), 1, 24 * 3600)
    cache.delete(_key(provider_id, "probe"))
    _seen.pop(provider_id, None)


class _Seen(NamedTuple):
    """What this process read of a breaker, and until when it trusts it."""

    until: float
    is_open: bool
    tripped: bool


_seen: dict[int, _Seen] = {}


def _read(provider_id: int) -> tuple[bool, bool]:
    """(open, tripped) of the breaker, as this process last read it within the window."""
    now = time.monotonic()
    seen = _seen.get(provider_id)
    if seen is not None and seen.until > now:
        return seen.is_open, seen.tripped
    open_key, tripped_key = _key(provider_id, "open"), _key(provider_id, "tripped")
    client = redis_client()
    if client is None:
        state = cache.get_many([open_key, tripped_key])
        is_open, tripped = open_key in state, tripped_key in state
    else:
        values = client.mget(cache.make_key(open_key), cache.make_key(tripped_key))
        is_open, tripped = (value is not None for value in values)
    until = now + _setting("BILLERS_BREAKER_SEEN_SECONDS", 0.25)
    _seen[provider_id] = _Seen(until, is_open, tripped)
    return is_open, tripped


def allow(provider_id: int, *, probe_seconds: float = 30) -> bool:
    """Whether a call may go to this provider now: always when the breaker is closed,
    never while it is open, and for one caller at a time when the cooldown is over."""
    is_open, tripped = _read(provider_id)
    if is_open:
        return False
    if not tripped:
        return True
    return cache.add(_key(provider_id, "probe"), 1, max(int(probe_seconds) + 1, 1))


def breaker_state(provider_id: int) -> str:
    state = cache.get_many([_key(provider_id, "open"), _key(provider_id, "tripped")])
    if _key(provider_id, "open") in state:
        return "open"
    if _key(provider_id, "tripped") in state:
        return "half-open"
    return "closed"


def breaker_reset(provider_id: int) -> None:
    cache.delete_many(
        [_key(provider_id, name) for name in ("open", "tripped", "probe", "fails")]
    )
    _seen.pop(provider_id, None)


@dataclass(frozen=True)
class Health:
    state: str
    calls: int
    errors: int
    p50_ms: int | None
    p99_ms: int | None

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.calls if self.calls else None


def _quantile(counts: list[int], q: float) -> int | None:
    total = sum(counts)
    if not total:
        return None
    running = 0
    for index, count in enumerate(counts):
        running += count
        if running >= q * total:
            return BOUNDS_MS[index] if index < len(BOUNDS_MS) else BOUNDS_MS[-1] * 2
    return None


def health(provider_id: int, *, minutes: int = WINDOW_MINUTES) -> Health:
    """The provider's figures over the last ``minutes`` minutes (latencies as the upper
    bound of their histogram bucket)."""
    now_minute = _minute(time.time())
    minutes_range = range(now_minute - minutes + 1, now_minute + 1)
    keys = []
    for minute in minutes_range:
        keys += [_key(provider_id, minute, "calls"), _key(provider_id, minute, "err")]
        keys += [_key(provider_id, minute, "lat", b) for b in range(len(BOUNDS_MS) + 1)]
    values = cache.get_many(keys)
    calls = errors = 0
    counts = [0] * (len(BOUNDS_MS) + 1)
    for minute in minutes_range:
        calls += values.get(_key(provider_id, minute, "calls"), 0)
        errors += values.get(_key(provider_id, minute, "err"), 0)
        for b in range(len(counts)):
            counts[b] += values.get(_key(provider_id, minute, "lat", b), 0)
    return Health(
        state=breaker_state(provider_id),
        calls=calls,
        errors=errors,
        p50_ms=_quantile(counts, 0.5),
        p99_ms=_quantile(counts, 0.99),
    )
