"""The two ways a statement of ``portal.lib.sql`` commits on its own, outside a transaction:
``write_relaxed`` without waiting for the disk, ``execute_committed`` without holding its
locks for the disk but durable when it returns. Real transactions on PostgreSQL."""

import pytest
from django.db import DataError, connection
from psycopg.pq import TransactionStatus

from portal.lib.sql import execute_committed, write_relaxed

pytestmark = pytest.mark.django_db(transaction=True)


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _idle() -> bool:
    return connection.connection.info.transaction_status == TransactionStatus.IDLE


def test_committed_runs_relaxed_then_flushes_and_leaves_the_session_as_it_was():
    with connection.cursor() as cursor:
        execute_committed(
            cursor,
            ["SELECT 1", "SELECT current_setting('synchronous_commit')"],
            [],
        )
        assert cursor.fetchone() == ("off",)  # inside: the commit does not wait
        assert cursor.nextset() and cursor.nextset()  # past the COMMIT to the flush
        flushed_past = cursor.fetchone()[0]
    # The flush's transaction committed synchronously: the WAL is on disk past its own
    # record, so past the commit before it.
    assert _one("SELECT pg_current_wal_flush_lsn() >= %s::pg_lsn", [flushed_past])
    assert _one("SHOW synchronous_commit") == "on"
    assert _idle()


def test_a_failure_skips_the_rest_and_leaves_no_transaction_open():
    with connection.cursor() as cursor, pytest.raises(DataError):
        execute_committed(cursor, ["SELECT 1 / 0"], [])
    assert _idle()
    assert _one("SHOW synchronous_commit") == "on"


def test_relaxed_returns_its_row_count_and_keeps_nothing_of_its_setting():
    _one("SELECT 1")  # a connection
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE relaxed_probe (n int)")
    assert write_relaxed("INSERT INTO relaxed_probe VALUES (1), (2)", []) == 2
    assert write_relaxed("UPDATE relaxed_probe SET n = n + 1", []) == 2
    assert _one("SELECT sum(n) FROM relaxed_probe") == 5
    assert _one("SHOW synchronous_commit") == "on"
    with pytest.raises(DataError):
        write_relaxed("SELECT 1 / 0", [], prepare=False)
    assert _idle()
