"""The margin report: per local day, provider and product, successful transactions only,
Production and Development apart, exact on a known data set."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from billers.models import Provider
from billers.services.margins import MarginFilter, margin_rows, margin_totals
from billing.models import Transaction
from billing.tests.factories import TransactionFactory
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
PROD = Environment.PRODUCTION
DEV = Environment.DEVELOPMENT
DAY1 = date(2026, 3, 9)
DAY2 = date(2026, 3, 10)
URL = "/backoffice/billers/provider/marjin/"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


def _txn(provider, day, hour, *, code, sell, buy, status="sukses", env=PROD, minute=0):
    return TransactionFactory(
        provider=provider,
        environment=env,
        product_code=code,
        product_name=f"Produk {code}",
        sell_price=sell,
        buy_price=buy,
        total=sell,
        status=status,
        created_at=_at(day, hour, minute),
    )


@pytest.fixture
def dataset():
    alfa = Provider.objects.create(code="alfa", name="Alfa", kind="network")
    beta = Provider.objects.create(code="beta", name="Beta", kind="network")
    # Day 1, Production: Alfa sells 501021 twice and 100301 once, Beta 501021 once.
    _txn(alfa, DAY1, 8, code="501021", sell=10_500, buy=10_100)
    _txn(alfa, DAY1, 9, code="501021", sell=10_500, buy=10_150)
    # 23:59 WIB is still day 1 (16:59 UTC); 00:01 WIB of day 2 is day 2 (17:01 UTC of day 1).
    _txn(alfa, DAY1, 23, code="100301", sell=22_500, buy=20_000, minute=59)
    _txn(beta, DAY1, 10, code="501021", sell=10_500, buy=10_300)
    _txn(alfa, DAY2, 0, code="501021", sell=10_500, buy=10_000, minute=1)
    # Not counted: failed, pending, Development, outside the period.
    _txn(alfa, DAY1, 11, code="501021", sell=10_500, buy=10_100, status="gagal")
    _txn(alfa, DAY1, 12, code="501021", sell=10_500, buy=10_100, status="pending")
    _txn(alfa, DAY1, 13, code="501021", sell=99_999, buy=1, env=DEV)
    _txn(alfa, date(2026, 3, 8), 23, code="501021", sell=10_500, buy=1, minute=59)
    _txn(alfa, date(2026, 3, 11), 0, code="501021", sell=10_500, buy=1)
    return alfa, beta


def _rows(**filters):
    values = {"date_from": DAY1, "date_to": DAY2, "environment": PROD, **filters}
    return [
        (
            row["day"],
            row["provider__code"],
            row["product_code"],
            row["count"],
            row["sold"],
            row["bought"],
            row["margin"],
        )
        for row in margin_rows(MarginFilter(**values))
    ]


def test_margins_per_day_provider_and_product_are_exact(dataset):
    assert _at(DAY2, 0, 1).astimezone(UTC).day == DAY1.day
    assert _rows() == [
        (DAY2, "alfa", "501021", 1, 10_500, 10_000, 500),
        (DAY1, "alfa", "100301", 1, 22_500, 20_000, 2_500),
        (DAY1, "alfa", "501021", 2, 21_000, 20_250, 750),
        (DAY1, "beta", "501021", 1, 10_500, 10_300, 200),
    ]
    totals = margin_totals(MarginFilter(date_from=DAY1, date_to=DAY2, environment=PROD))
    assert (totals.count, totals.sold, totals.bought, totals.margin) == (
        5,
        64_500,
        60_550,
        3_950,
    )


def test_development_and_one_provider_are_apart(dataset):
    alfa, beta = dataset
    assert _rows(environment=DEV) == [(DAY1, "alfa", "501021", 1, 99_999, 1, 99_998)]
    assert _rows(provider_id=beta.pk) == [
        (DAY1, "beta", "501021", 1, 10_500, 10_300, 200)
    ]


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _cells(html: str) -> list[list[str]]:
    body = html.split('id="margins"', 1)[1]
    rows = re.findall(r'<tr class="margin-row">(.*?)</tr>', body, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_the_page_shows_the_figures_and_the_totals(staff_client, dataset):
    answer = staff_client.get(
        URL, {"date_from": "2026-03-09", "date_to": "2026-03-10", "environment": PROD}
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert _cells(html) == [
        [
            "10-03-2026",
            "Alfa (alfa)",
            "501021 Produk 501021",
            "1",
            "Rp 10.500",
            "Rp 10.000",
            "Rp 500",
        ],
        [
            "09-03-2026",
            "Alfa (alfa)",
            "100301 Produk 100301",
            "1",
            "Rp 22.500",
            "Rp 20.000",
            "Rp 2.500",
        ],
        [
            "09-03-2026",
            "Alfa (alfa)",
            "501021 Produk 501021",
            "2",
            "Rp 21.000",
            "Rp 20.250",
            "Rp 750",
        ],
        [
            "09-03-2026",
            "Beta (beta)",
            "501021 Produk 501021",
            "1",
            "Rp 10.500",
            "Rp 10.300",
            "Rp 200",
        ],
    ]
    totals = html.split('id="margin-totals"', 1)[1].split("</tr>", 1)[0]
    assert "Rp 64.500" in totals and "Rp 60.550" in totals and "Rp 3.950" in totals


def test_the_page_paginates_keeping_the_filter(staff_client, dataset, monkeypatch):
    monkeypatch.setattr("billers.admin.MARGIN_PER_PAGE", 3)
    query = {"date_from": "2026-03-09", "date_to": "2026-03-10", "environment": PROD}

    first = staff_client.get(URL, query).content.decode()
    second = staff_client.get(URL, {**query, "page": 2}).content.decode()

    assert len(_cells(first)) == 3
    assert _cells(second) == [
        [
            "09-03-2026",
            "Beta (beta)",
            "501021 Produk 501021",
            "1",
            "Rp 10.500",
            "Rp 10.300",
            "Rp 200",
        ]
    ]
    assert "Halaman 1 dari 2" in first
    assert "date_from=2026-03-09" in first and "page=2" in first


def test_an_empty_period_says_so(staff_client, dataset):
    answer = staff_client.get(URL, {"date_from": "2025-01-01", "date_to": "2025-01-31"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Belum ada transaksi sukses pada periode ini." in html
    assert not _cells(html)


def test_the_default_page_is_the_last_30_days_of_production(staff_client, dataset):
    answer = staff_client.get(URL)
    assert answer.status_code == 200
    assert "Production" in answer.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "tidak boleh sebelum"),
        ({"date_from": "2024-01-01", "date_to": "2026-03-01"}, "maksimal 366 hari"),
        ({"date_from": "bukan-tanggal"}, "Masukkan tanggal"),
        ({"environment": "staging"}, "Masukkan pilihan yang valid"),
        ({"provider": "abc"}, "Masukkan pilihan yang valid"),
    ],
)
def test_bad_filters_get_a_message_not_a_500(staff_client, dataset, query, message):
    answer = staff_client.get(URL, query)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert message in html
    assert 'id="margins"' not in html


def test_the_figures_ignore_transactions_without_a_success(dataset):
    """The pending and failed rows of the data set exist and are left out."""
    assert Transaction.objects.filter(status="gagal").count() == 1
    assert Transaction.objects.filter(status="pending").count() == 1
    assert sum(row[3] for row in _rows()) == 5
