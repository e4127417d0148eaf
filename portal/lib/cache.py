"""The default cache's Redis client, for what Django's cache API cannot say in one round trip
(an atomic check-and-set, a batch of counters).

Django's Redis cache makes a new ``redis.Redis`` object for every operation (on a busy API
worker, building them cost more than the round trips): this one is made once per process,
and again only when the ``CACHES`` setting changes (tests). It shares nothing with the cache
but the server: keys go through ``cache.make_key`` so that ``KEY_PREFIX`` and ``VERSION``
apply, and an integer is stored as Django's serializer stores it (as itself), so
``cache.get`` reads what a script counted.
"""

from __future__ import annotations

import functools
import hashlib

import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver


@functools.cache
def redis_client() -> redis.Redis | None:
    """The default cache's client (its servers and ``OPTIONS``); None when the cache is not
    Redis (``make run``'s local memory)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)


@receiver(setting_changed)
def _forget_the_client(*, setting, **kwargs) -> None:
    if setting == "CACHES":
        redis_client.cache_clear()


class Script:
    """A Lua script run by its SHA1 (``EVALSHA``), sent whole only when the server does not
    know it yet. The command itself, not redis-py's ``Script``, whose argument checks cost as
    much as the round trip."""

    def __init__(self, source: str):
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()

    def __call__(self, client: redis.Redis, keys: list[str], args: list) -> object:
        try:
            return client.execute_command("EVALSHA", self.sha, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            return client.execute_command("EVAL", self.source, len(keys), *keys, *args)
