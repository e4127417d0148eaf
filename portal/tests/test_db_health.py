"""The health check of persistent connections (portal/db/postgresql): no round trip for a
healthy idle connection, a new connection in place of one the server ended."""

import select
import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


def _terminate(pid: int) -> None:
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


def test_the_backend_is_ours():
    assert connection.settings_dict["ENGINE"] == "portal.db.postgresql"
    assert connection.vendor == "postgresql"


def test_a_healthy_idle_connection_is_checked_without_a_round_trip(monkeypatch):
    connection.ensure_connection()

    def round_trip(self):
        raise AssertionError("SELECT 1 sent to a healthy connection")

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", round_trip)
    assert connection.is_usable()


def test_a_connection_the_server_ended_is_replaced_before_use():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    _terminate(pid)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if select.select([connection.connection], [], [], 0.05)[0]:
            break

    assert not connection.is_usable()
    # What Django does when a request starts (close_old_connections), then the request's
    # first query: it runs on a new connection instead of failing.
    connection.health_check_done = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
