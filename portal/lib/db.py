"""The database connection of a request that is about to wait for something outside.

With psycopg's pool (``DB_POOL_MAX_SIZE``, the Open API's processes, many requests at once) a
request gives its connection back before it waits for an upstream provider, so that hundreds
of waiting requests share a few connections; its next query takes one from the pool again (the
statements that ``portal.lib.sql`` prepared stay with each pooled connection). Without a pool
the connection is kept: closing it would cost a new one, and its prepared statements, on the
next query.
"""

from __future__ import annotations

from django.db import connection


def connection_release() -> None:
    """Give the request's pooled connection back, unless a transaction holds it."""
    if (
        connection.connection is not None
        and not connection.in_atomic_block
        and getattr(connection, "pool", None) is not None
    ):
        connection.close()
