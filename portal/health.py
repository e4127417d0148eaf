"""``/healthz``: may this process take traffic? For load balancers and process supervisors.

It reads nothing and writes nothing: a ``SELECT 1`` on the database and a ``PING`` to the
Redis broker (or ``eager`` when tasks run in the web process). No login, no session, exempt
from the https redirect (``SECURE_REDIRECT_EXEMPT``) so a probe over plain http works.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK, EAGER, ERROR = "ok", "eager", "error"
BROKER_TIMEOUT_SECONDS = 2


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("health: database unreachable: %s", exc)
        return ERROR
    return OK


def _redis_url() -> str:
    broker = settings.CELERY_BROKER_URL or ""
    if broker.startswith(("redis://", "rediss://")):
        return broker
    return settings.REDIS_URL


def broker_check() -> str:
    url = _redis_url()
    if not url:
        return EAGER
    try:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        logger.warning("health: broker unreachable: %s", exc)
        return ERROR
    return OK


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_check(), "broker": broker_check()}
    healthy = ERROR not in checks.values()
    return JsonResponse(
        {"status": OK if healthy else ERROR, **checks}, status=200 if healthy else 503
    )
