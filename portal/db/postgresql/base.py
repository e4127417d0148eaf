"""PostgreSQL, as Django's backend, with a health check that costs no round trip.

Django checks a persistent connection before each request uses it (``CONN_HEALTH_CHECKS``)
with a ``SELECT 1``: one more round trip on every Open API call. A connection that the server
ended while it sat idle (a restart, an idle timeout, ``pg_terminate_backend``) has something
to read on its socket (the server's notice, or the end of the stream), while a healthy idle
connection has nothing. So the socket is looked at first, without waiting, and only a
connection with something to read gets the real ``SELECT 1``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed:
            return False
        try:
            readable, _writable, _errors = select.select([raw], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True
