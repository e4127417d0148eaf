"""The log row is written in one round trip outside any transaction, and a failing write
leaves the database connection usable; buffered (a deployment), rows are written by a
background thread of the process, a bad row costs only itself, and nothing pending is lost
when the database is away for a while or the process stops."""

import os
import time

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.utils import timezone

from openapi.models import ApiLog
from openapi.services import log as log_module
from openapi.services.log import api_log_flush, api_log_write
from portal.lib.sql import write_relaxed

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


def test_a_row_with_nul_and_lone_surrogates_everywhere_is_stored(partner):
    _write(
        partner,
        username="mtr\x00dev",
        path="/Services/get-Deposit\x00",
        reference_id="\x00",
        product_code="A\x00\ud800",
        request={"referenceID": "\x00", "k\x00": ["\ud800"], "jalur": "C:\\u0000"},
        response={"rc": "02", "referenceID": "\x00"},
    )

    log = ApiLog.objects.get()
    assert (log.username, log.reference_id) == ("mtr\ufffddev", "\ufffd")
    assert log.path == "/Services/get-Deposit\ufffd"
    assert log.product_code == "A\ufffd\ufffd"
    assert log.request == {
        "referenceID": "\ufffd",
        "k\ufffd": ["\ufffd"],
        "jalur": "C:\\u0000",  # a backslash the client sent is kept as it is
    }
    assert log.response["referenceID"] == "\ufffd"


def _raw_row(partner, reference_id: str, *, request: str = '{"a": 1}') -> list:
    """A row as the writer keeps it, put into the buffer without the care that
    ``api_log_write`` takes: how a row the database refuses reaches the writer."""
    values = {
        "partner_id": partner.pk,
        "environment": "development",
        "username": "mtr.dev",
        "method": "POST",
        "path": "/Services/Inquiry",
        "ip": "127.0.0.1",
        "http_status": 200,
        "rc": "00",
        "reference_id": reference_id,
        "product_code": "100301",
        "request": request,
        "response": '{"rc": "00"}',
        "duration_ms": 1,
        "created_at": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    return [values[name] for name in log_module.LOG_FIELDS]


def test_a_poisoned_batch_writes_the_good_rows_and_counts_the_bad(
    partner, buffered, caplog
):
    buffer = log_module._buffer(0.05)
    with buffer.writing:  # one batch: the writer waits until every row is in
        _write(partner, reference_id="GOOD-1")
        buffer.add(_raw_row(partner, "NUL-\x00"))  # the driver refuses: ValueError
        buffer.add(_raw_row(partner, "JSONB", request='{"a": "\\u0000"}'))  # DataError
        buffer.add(_raw_row(partner, "GOOD-2"))

    assert _wait_for(2) == 2
    assert api_log_flush() == 0  # nothing left to retry
    assert set(ApiLog.objects.values_list("reference_id", flat=True)) == {
        "GOOD-1",
        "GOOD-2",
    }
    assert buffer.refused == 2
    counted = [r for r in caplog.records if hasattr(r, "refused_rows")]
    assert [(r.refused_rows, r.refused_rows_total) for r in counted] == [(2, 2)]

    _write(partner, reference_id="LATER")  # the writer goes on with the next calls
    assert _wait_for(3) == 3
