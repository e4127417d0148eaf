"""Writing the API log: one prepared INSERT per call (it runs on every request).

On PostgreSQL the row is committed without waiting for the WAL flush (``synchronous_commit
off`` for this transaction only): a crash of the database server may lose the log rows of its
last fraction of a second, never money (transactions and the ledger keep their synchronous
commits), and every call saves a disk flush.
"""

from __future__ import annotations

import functools
import json

from django.db import DatabaseError, connection
from django.utils import timezone

from openapi.models import ApiLog
from openapi.selectors.calls import col, table

LOG_FIELDS = (
    "partner_id",
    "environment",
    "username",
    "method",
    "path",
    "ip",
    "http_status",
    "rc",
    "reference_id",
    "product_code",
    "request",
    "response",
    "duration_ms",
    "created_at",
)


@functools.cache
def _insert_sql() -> str:
    columns = ", ".join(col(ApiLog, name) for name in LOG_FIELDS)
    values = ", ".join(["%s"] * len(LOG_FIELDS))
    sql = f"INSERT INTO {table(ApiLog)} ({columns}) VALUES ({values})"  # noqa: S608 - names come from _meta; values are parameters
    return sql


def api_log_write(
    *,
    partner_id: int | None,
    environment: str,
    username: str,
    method: str,
    path: str,
    ip: str,
    http_status: int,
    rc: str,
    reference_id: str,
    product_code: str,
    request,
    response,
    duration_ms: int,
) -> None:
    """Keep one call as the server saw it. ``request`` must already be free of secrets."""
    values = [
        partner_id,
        environment,
        username[:64],
        method[:8],
        path[:100],
        ip[:64],
        http_status,
        rc[:4],
        reference_id[:40],
        product_code[:20],
        None if request is None else json.dumps(request, default=str),
        None if response is None else json.dumps(response, default=str),
        max(duration_ms, 0),
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    write_relaxed(_insert_sql(), values)


def write_relaxed(sql: str, values: list) -> None:
    """Run one write committed without waiting for the disk flush (PostgreSQL), for rows
    that a database crash may lose but never half-write: BEGIN, SET LOCAL, the write and
    COMMIT go to the server as one message (one round trip, no flush wait; measured 2 ms →
    0.03 ms here). Inside an outer transaction (tests) the write simply joins it."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            cursor.execute(sql, values)
            return
        try:
            cursor.execute(
                f"BEGIN; SET LOCAL synchronous_commit TO OFF; {sql}; COMMIT", values
            )
        except DatabaseError:
            # The failed statement left the session inside the aborted transaction.
            cursor.execute("ROLLBACK")
            raise
