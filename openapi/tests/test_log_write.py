"""The log row is written in one round trip outside any transaction, and a failing write
leaves the database connection usable; buffered (a deployment), rows are written by a
background thread of the process, a bad row costs only itself, and nothing pending is lost
when the database is away for a while or the process stops."""

import os
import time

import pytest
from django.db import DatabaseError, OperationalError, connection

from openapi.models import ApiLog
from openapi.services import log as log_module
from openapi.services.log import api_log_flush, api_log_write, write_relaxed

pytestmark = pytest.mark.django_db(transaction=True)


def _write(partner, **overrides):
    values = {
        "partner_id": partner.pk,
        "environment": "development",
        "username": "mtr.dev",
        "method": "POST",
        "path": "/Services/Inquiry",
        "ip": "2001:db8::1",
        "http_status": 200,
        "rc": "00",
        "reference_id": "R" * 50,
        "product_code": "100301",
        "request": {"referenceID": "R1", "nama": "Budi Ñandar"},
        "response": {"rc": "00", "data": {"nama": "BUDI"}},
        "duration_ms": 7,
        **overrides,
    }
    api_log_write(**values)


def test_written_outside_a_transaction(partner):
    assert not connection.in_atomic_block

    _write(partner)

    log = ApiLog.objects.get()
    assert log.request == {"referenceID": "R1", "nama": "Budi Ñandar"}
    assert log.response["data"] == {"nama": "BUDI"}
    assert log.reference_id == "R" * 40
    assert log.created_at is not None and log.partner_id == partner.pk


def test_a_failing_write_leaves_the_connection_usable(partner):
    with pytest.raises(DatabaseError):
        write_relaxed("INSERT INTO openapi_apilog (http_status) VALUES (%s)", ["x"])

    _write(partner)
    assert ApiLog.objects.count() == 1


@pytest.fixture
def buffered(settings):
    """Rows written by this process's background writer every 50 ms, as in production."""
    settings.API_LOG_FLUSH_SECONDS = 0.05
    yield
    buffer = log_module._buffers.pop(os.getpid(), None)
    if buffer is not None:
        buffer.stop()  # writes what is left and closes the writer's connection


def _wait_for(count: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and ApiLog.objects.count() < count:
        time.sleep(0.02)
    return ApiLog.objects.count()


def test_buffered_rows_are_written_by_the_background_writer(partner, buffered):
    for n in range(3):
        _write(partner, reference_id=f"BUF-{n}")

    assert _wait_for(3) == 3
    assert sorted(ApiLog.objects.values_list("reference_id", flat=True)) == [
        "BUF-0",
        "BUF-1",
        "BUF-2",
    ]


def test_a_refused_row_costs_only_itself(partner, buffered):
    buffer = log_module._buffer(0.05)
    with buffer.writing:  # hold the writer while the rows pile up
        _write(partner, reference_id="GOOD-1")
        _write(partner, reference_id="BAD", partner_id=10**12)  # no such partner
        _write(partner, reference_id="GOOD-2")

    assert _wait_for(2) == 2
    assert api_log_flush() == 0
    assert set(ApiLog.objects.values_list("reference_id", flat=True)) == {
        "GOOD-1",
        "GOOD-2",
    }


def test_rows_wait_while_the_database_cannot_be_written(partner, buffered, monkeypatch):
    buffer = log_module._buffer(0.05)
    real = log_module._write_rows

    def unavailable(rows):
        raise OperationalError("server closed the connection unexpectedly")

    with buffer.writing:
        monkeypatch.setattr(log_module, "_write_rows", unavailable)
        _write(partner, reference_id="LATER")
    time.sleep(0.2)  # a few failed attempts
    assert ApiLog.objects.count() == 0

    monkeypatch.setattr(log_module, "_write_rows", real)
    assert _wait_for(1) == 1


def test_stopping_writes_what_is_pending(partner, buffered):
    buffer = log_module._buffer(60)  # the thread would wait a minute
    _write(partner, reference_id="AT-EXIT")

    buffer.stop()
    log_module._buffers.pop(os.getpid(), None)

    assert ApiLog.objects.filter(reference_id="AT-EXIT").exists()
