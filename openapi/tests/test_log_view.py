"""The Log API page (menu Koneksi): filters, pages, detail, and only one's own calls."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from openapi.models import ApiLog
from portal.lib.access import Level, Menu

pytestmark = pytest.mark.django_db
URL = reverse("openapi:log")


def _log(partner, **fields):
    values = {
        "partner": partner,
        "environment": "development",
        "username": "mtr.dev",
        "method": "POST",
        "path": "/Services/Inquiry",
        "ip": "127.0.0.1",
        "http_status": 200,
        "rc": "00",
        "reference_id": "REF-1",
        "request": {"referenceID": "REF-1", "customerID": "530000000001"},
        "response": {"rc": "00", "description": "Sukses", "data": {"nama": "BUDI"}},
        "duration_ms": 12,
    }
    values.update(fields)
    return ApiLog.objects.create(**values)


def test_the_page_lists_the_partners_calls(owner_client, partner, outsider):
    _log(partner, reference_id="MINE-1")
    _log(outsider.partner, reference_id="THEIRS-1")

    response = owner_client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Log API" in page
    assert "MINE-1" in page and "THEIRS-1" not in page


@pytest.mark.parametrize(
    "params,shown,hidden",
    [
        ({"environment": "production"}, "PROD-1", "DEV-1"),
        ({"path": "/Services/Payment"}, "PAY-1", "DEV-1"),
        ({"rc": "45"}, "IP-1", "DEV-1"),
        ({"reference_id": "PAY-1"}, "PAY-1", "PROD-1"),
        ({"date_from": "2026-01-01", "date_to": "2026-01-31"}, "OLD-1", "DEV-1"),
    ],
    ids=["environment", "service", "rc", "reference", "dates"],
)
def test_filters(owner_client, partner, params, shown, hidden):
    _log(partner, reference_id="DEV-1")
    _log(partner, reference_id="PROD-1", environment="production")
    _log(partner, reference_id="PAY-1", path="/Services/Payment")
    _log(partner, reference_id="IP-1", rc="45", http_status=403)
    old = _log(partner, reference_id="OLD-1")
    ApiLog.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 1, 15, 10, 0))
    )

    page = owner_client.get(URL, params).content.decode()

    assert shown in page and hidden not in page


def test_default_period_is_the_last_7_days(owner_client, partner):
    old = _log(partner, reference_id="OLD-1")
    ApiLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    _log(partner, reference_id="NEW-1")

    page = owner_client.get(URL).content.decode()

    assert "NEW-1" in page and "OLD-1" not in page


def test_invalid_filters_fall_back_and_say_why(owner_client, partner):
    _log(partner, reference_id="NEW-1")

    response = owner_client.get(
        URL, {"rc": "abc", "date_from": "2026-12-31", "date_to": "2026-01-01"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "RC terdiri dari 2 angka" in page
    assert "NEW-1" in page


def test_pages_of_50_with_a_constant_query_count(owner_client, partner):
    for n in range(3):
        _log(partner, reference_id=f"R-{n}")
    owner_client.get(URL)  # warm the session and the user

    with CaptureQueriesContext(connection) as few:
        owner_client.get(URL)
    for n in range(3, 120):
        _log(partner, reference_id=f"R-{n}")
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(URL, {"page": 2})

    assert len(many) == len(few)
    page = response.content.decode()
    assert "Halaman 2 dari 3" in page
    assert page.count("/log-api/") >= 50


def test_detail_pretty_prints_request_and_response(owner_client, partner):
    log = _log(partner)

    response = owner_client.get(reverse("openapi:log_detail", args=[log.pk]))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert '\n  "customerID": "530000000001"' in page
    assert '\n  "data": {\n    "nama": "BUDI"\n  }' in page


def test_another_partners_log_is_404(owner_client, outsider):
    log = _log(outsider.partner)

    response = owner_client.get(reverse("openapi:log_detail", args=[log.pk]))

    assert response.status_code == 404


def test_needs_the_koneksi_right(client, partner):
    without = UserFactory(partner=partner, is_owner=False, access_rights={})
    viewer = UserFactory(
        partner=partner, is_owner=False, access_rights={Menu.KONEKSI: Level.VIEW}
    )

    client.force_login(without)
    assert client.get(URL).status_code == 403
    client.force_login(viewer)
    assert client.get(URL).status_code == 200


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302
