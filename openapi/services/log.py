"""Writing the API log (it runs on every request).

With ``API_LOG_FLUSH_SECONDS`` above zero (a deployment on PostgreSQL), each process keeps
the rows of its calls in memory and a background thread writes them every that many seconds,
a few hundred rows per INSERT: a call then costs no database round trip for its log, and the
database one statement and one commit per batch instead of per call. The partner sees a call
in Log API that much later. Rows are committed without waiting for the WAL flush
(``synchronous_commit off`` for that transaction only). What may be lost: the rows of the last
fraction of a second if the database server crashes, or if the process is killed outright
(a normal stop or a worker recycle writes them first); never money (a ledger movement is on
disk before anything acts on it: ``portal.lib.sql.execute_committed``). With 0 (tests,
``make run``) each row is written at once, one prepared INSERT.

A row must never stop the others. Each is made safe before it is kept (PostgreSQL refuses a
NUL character in text and ``\\u0000`` in jsonb, and a lone UTF-16 surrogate cannot be sent
at all: they become U+FFFD), and a batch refused for any other reason than a lost connection
is written row by row, so that only a row the database still refuses is set aside, logged
and counted (``LogBuffer.refused``, and the ``refused_rows`` field of the log line).
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import re
import threading

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    connection,
    models,
)
from django.utils import timezone

from openapi.models import ApiLog
from portal.lib.db import connection_release
from portal.lib.sql import col, json_time, table, write_relaxed

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


logger = logging.getLogger(__name__)
BATCH_ROWS = 500
# Rows kept when the database cannot be written for a while; older ones are dropped (and
# counted in the error log) rather than growing without end.
MAX_PENDING_ROWS = 50_000


# What PostgreSQL cannot store in a text or jsonb value. A JSON text holds a NUL only as
# the escape \u0000 (json.dumps escapes every control character); the search of the dumped
# text may also match an escaped backslash followed by "u0000", which only costs a second,
# careful pass.
_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")
_UNSAFE_JSON = re.compile(r"\\u0000|[\ud800-\udfff]")


def _safe_text(value: str) -> str:
    return _UNSAFE_TEXT.sub("\ufffd", value)


def _safe_value(value):
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, dict):
        return {_safe_text(str(key)): _safe_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_safe_value(item) for item in value]
    return value


def _safe_json(value) -> str | None:
    """``value`` as JSON text that jsonb accepts."""
    if value is None:
        return None
    text = json.dumps(value, default=str, ensure_ascii=False)
    if _UNSAFE_JSON.search(text):
        text = json.dumps(_safe_value(value), default=str, ensure_ascii=False)
    return text


@functools.cache
def _insert_one_sql() -> str:
    columns = ", ".join(col(ApiLog, name) for name in LOG_FIELDS)
    values = ", ".join(["%s"] * len(LOG_FIELDS))
    return f"INSERT INTO {table(ApiLog)} ({columns}) VALUES ({values})"  # noqa: S608 - names come from _meta; values are parameters


@functools.cache
def _batch_sql() -> str:
    """PostgreSQL: a batch's rows as one JSON parameter (an array of rows, each an array in
    the order of ``LOG_FIELDS``), unpacked by the server. psycopg quotes parameters one by
    one in Python, and a statement of more than 50 is parsed again on every call: one
    parameter is one quoting and a statement its cache keeps."""
    fields = {f.attname: f for f in ApiLog._meta.concrete_fields}
    values = []
    for index, name in enumerate(LOG_FIELDS):
        value = f"r ->> {index}"
        if not isinstance(fields[name], models.CharField):
            # Text columns take the text as it is (their length still checked).
            value = f"({value})::{fields[name].db_type(connection)}"
        values.append(value)
    columns = ", ".join(col(ApiLog, name) for name in LOG_FIELDS)
    return (
        f"INSERT INTO {table(ApiLog)} ({columns}) "  # noqa: S608 - names come from _meta; values are parameters
        f"SELECT {', '.join(values)} FROM json_array_elements(%s::json) AS r"
    )


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
    """Keep one call as the server saw it. ``request`` must already be free of secrets;
    whatever the caller sent, the row is one the database accepts."""
    values = [
        partner_id,
        _safe_text(environment),
        _safe_text(username[:64]),
        _safe_text(method[:8]),
        _safe_text(path[:100]),
        _safe_text(ip[:64]),
        http_status,
        _safe_text(rc[:4]),
        _safe_text(reference_id[:40]),
        _safe_text(product_code[:20]),
        _safe_json(request),
        _safe_json(response),
        max(duration_ms, 0),
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    interval = getattr(settings, "API_LOG_FLUSH_SECONDS", 0)
    if interval > 0 and connection.vendor == "postgresql":
        _buffer(interval).add(values)
    else:
        write_relaxed(_insert_one_sql(), values)


def _write_rows(rows: list[list]) -> None:
    """One statement and one relaxed commit for a batch (not prepared: it is written a few
    times a second). The rows' JSON values are already JSON text, kept as strings here."""
    write_relaxed(
        _batch_sql(),
        [json.dumps(rows, default=json_time, ensure_ascii=False)],
        prepare=False,
    )


def _write_each(rows: list[list]) -> int:
    """After a batch was refused for its data: every row on its own, so that one bad row
    costs only itself (it is reported, not retried). Returns the number set aside."""
    refused = 0
    for row in rows:
        try:
            write_relaxed(_insert_one_sql(), row)
        except (OperationalError, InterfaceError):
            raise
        except Exception:  # a DataError, the driver's ValueError: this row's own fault
            refused += 1
            logger.exception("API log: a row was refused and set aside: %r", row[:10])
    return refused


class LogBuffer:
    """The log rows of this process not yet written, and the thread that writes them."""

    def __init__(self, interval: float):
        self.interval = interval
        self.rows: list[list] = []
        self.dropped = 0
        self.refused = 0  # rows the database refused, since the process started
        self.lock = threading.Lock()
        self.writing = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(
            target=self._run, name="api-log-writer", daemon=True
        )
        self.thread.start()
        atexit.register(self.stop)

    def add(self, values: list) -> None:
        with self.lock:
            self.rows.append(values)
            if len(self.rows) > MAX_PENDING_ROWS:
                excess = len(self.rows) - MAX_PENDING_ROWS
                del self.rows[:excess]
                self.dropped += excess

    def flush(self) -> int:
        """Write what is pending now; the rows of a failed write are kept for the next
        attempt. Returns the number of rows written."""
        with self.writing:
            with self.lock:
                rows, self.rows = self.rows, []
                dropped, self.dropped = self.dropped, 0
            if dropped:
                logger.error("API log: %s rows dropped (database unavailable)", dropped)
            if not rows:
                return 0
            written = 0
            try:
                for start in range(0, len(rows), BATCH_ROWS):
                    batch = rows[start : start + BATCH_ROWS]
                    try:
                        _write_rows(batch)
                    except (OperationalError, InterfaceError):
                        raise
                    except Exception:  # some row's data: find it, write the others
                        self._refused(_write_each(batch))
                    written = start + len(batch)
            except Exception:
                logger.exception(
                    "API log: writing %s rows failed; retrying", len(rows) - written
                )
                connection.close()  # a fresh connection for the next attempt
                with self.lock:
                    self.rows[:0] = rows[written:]
            return written

    def _refused(self, count: int) -> None:
        if not count:
            return
        self.refused += count
        logger.error(
            "API log: %s rows refused and set aside (%s since the process started)",
            count,
            self.refused,
            extra={"refused_rows": count, "refused_rows_total": self.refused},
        )

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.flush()
            # A pooled connection serves the requests' threads until the next flush.
            connection_release()
        connection.close()

    def stop(self) -> None:
        """Write everything still pending (a normal stop of the process)."""
        self.stopping.set()
        self.thread.join(timeout=10)
        self.flush()


_buffers: dict[int, LogBuffer] = {}
_buffers_lock = threading.Lock()


def _buffer(interval: float) -> LogBuffer:
    """This process's buffer (a forked worker starts its own)."""
    pid = os.getpid()
    buffer = _buffers.get(pid)
    if buffer is None:
        with _buffers_lock:
            buffer = _buffers.get(pid)
            if buffer is None:
                buffer = _buffers[pid] = LogBuffer(interval)
    return buffer


def api_log_flush() -> int:
    """Write this process's pending rows now (tests, and the end of a process)."""
    buffer = _buffers.get(os.getpid())
    return buffer.flush() if buffer is not None else 0
