"""The default cache's Redis client: one per process, followed when ``CACHES`` changes."""

from __future__ import annotations

from django.core.cache import cache

from portal.lib.cache import Script, redis_client

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_one_client_until_the_cache_setting_changes(settings):
    client = redis_client()
    assert client is not None
    assert redis_client() is client

    settings.CACHES = LOCMEM
    assert redis_client() is None


def test_a_script_counts_what_the_cache_reads_and_is_sent_again_when_forgotten():
    key = cache.make_key("tests:cache-client:counted")
    client = redis_client()
    client.delete(key)
    add = Script("return redis.call('INCRBY', KEYS[1], ARGV[1])")

    assert add(client, [key], [2]) == 2
    client.script_flush()
    assert add(client, [key], [3]) == 5
    assert cache.get("tests:cache-client:counted") == 5
    client.delete(key)
