"""The log row is written in one round trip outside any transaction, and a failing write
leaves the database connection usable."""

import pytest
from django.db import DatabaseError, connection

from openapi.models import ApiLog
from openapi.services.log import api_log_write, write_relaxed

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
