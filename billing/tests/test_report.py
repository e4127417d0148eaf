from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from billing.selectors import LOCAL_TZ, local_today
from billing.tests.factories import TransactionFactory
from portal.lib.environments import Environment

URL = reverse("billing:transactions")


def _at(days_ago: int, hour: int = 10):
    day = local_today() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


@pytest.fixture
def rows(partner, outsider):
    return {
        "pln": TransactionFactory(
            partner=partner,
            reference_id="PLN-1",
            customer_number="512345678901",
            total=102_500,
            created_at=_at(0),
        ),
        "pulsa": TransactionFactory(
            partner=partner,
            reference_id="PULSA-1",
            product_code="501021",
            product_name="Telkomsel 10.000",
            category="Pulsa",
            total=10_200,
            customer_number="081234567890",
            status="pending",
            rc="71",
            created_at=_at(1),
        ),
        "gagal": TransactionFactory(
            partner=partner,
            reference_id="GAGAL-1",
            status="gagal",
            rc="17",
            total=50_000,
            created_at=_at(3),
        ),
        "old": TransactionFactory(
            partner=partner, reference_id="OLD-1", created_at=_at(40)
        ),
        "dev": TransactionFactory(
            partner=partner,
            reference_id="DEV-1",
            environment=Environment.DEVELOPMENT,
            created_at=_at(0),
        ),
        "foreign": TransactionFactory(
            partner=outsider.partner, reference_id="FOREIGN-1", created_at=_at(0)
        ),
    }


def _refs(response):
    return [t.reference_id for t in response.context["page"].object_list]


def test_default_is_production_of_the_last_30_days(owner_client, rows):
    response = owner_client.get(URL)
    assert _refs(response) == ["PLN-1", "PULSA-1", "GAGAL-1"]
    totals = response.context["totals"]
    assert totals.count == 3
    assert totals.total == 102_500 + 10_200 + 50_000
    assert totals.by_status["pending"].count == 1
    assert totals.by_status["gagal"].total == 50_000
    page = response.content.decode()
    assert "Rp 162.700" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "pending"}, ["PULSA-1"]),
        ({"category": "pulsa"}, ["PULSA-1"]),
        ({"product": "telkomsel"}, ["PULSA-1"]),
        ({"product": "100301"}, ["PLN-1", "GAGAL-1"]),
        ({"customer_number": "512345678901"}, ["PLN-1"]),
        ({"reference_id": "GAGAL-1"}, ["GAGAL-1"]),
        ({"environment": "development"}, ["DEV-1"]),
        ({"date_from": "", "date_to": ""}, ["PLN-1", "PULSA-1", "GAGAL-1"]),
    ],
)
def test_filters(owner_client, rows, params, expected):
    assert _refs(owner_client.get(URL, params)) == expected


def test_date_range_filter_uses_local_days(owner_client, rows):
    day = (local_today() - timedelta(days=40)).isoformat()
    response = owner_client.get(URL, {"date_from": day, "date_to": day})
    assert _refs(response) == ["OLD-1"]


def test_a_reversed_range_is_explained_and_the_default_shown(owner_client, rows):
    response = owner_client.get(
        URL, {"date_from": "2026-02-10", "date_to": "2026-02-01"}
    )
    assert response.status_code == 200
    assert (
        "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()
    )
    assert _refs(response) == ["PLN-1", "PULSA-1", "GAGAL-1"]


def test_garbage_filters_do_not_break_the_page(owner_client, rows):
    response = owner_client.get(
        URL, {"date_from": "kemarin", "status": "x", "page": "z"}
    )
    assert response.status_code == 200


def test_pagination_keeps_the_filters(owner_client, partner):
    for n in range(30):
        TransactionFactory(partner=partner, reference_id=f"P{n:03d}", category="Pulsa")
    response = owner_client.get(URL, {"category": "Pulsa"})
    assert len(response.context["page"].object_list) == 25
    page = response.content.decode()
    assert "category=Pulsa&amp;page=2" in page
    second = owner_client.get(URL, {"category": "Pulsa", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert second.context["totals"].count == 30


def test_detail_shows_request_and_response(owner_client, rows):
    txn = rows["pln"]
    page = owner_client.get(reverse("billing:transaction_detail", args=[txn.pk]))
    html = page.content.decode()
    assert "&quot;referenceID&quot;: &quot;PLN-1&quot;" in html
    assert "SN-1" in html
    assert "Rp 102.500" in html


def test_an_outsider_gets_404_on_a_transaction(client, outsider, rows):
    client.force_login(outsider)
    url = reverse("billing:transaction_detail", args=[rows["pln"].pk])
    assert client.get(url).status_code == 404
    listing = client.get(URL)
    assert _refs(listing) == ["FOREIGN-1"]


def test_the_form_shows_the_period_and_environment_being_listed(owner_client):
    html = owner_client.get(URL).content.decode()
    today = local_today()
    assert f'value="{today.isoformat()}"' in html
    assert f'value="{(today - timedelta(days=29)).isoformat()}"' in html
    assert '<option value="production" selected>' in html
