import csv
import io
from datetime import timedelta

from django.http import StreamingHttpResponse
from django.urls import reverse

from billing.selectors import local_today
from billing.tests.factories import TransactionFactory, deposit_fund, paid_transaction


def _csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_transaction_export_honours_the_filters(owner_client, partner, outsider):
    TransactionFactory(
        partner=partner, reference_id="A-1", status="sukses", total=10_000
    )
    TransactionFactory(
        partner=partner, reference_id="A-2", status="gagal", total=20_000
    )
    TransactionFactory(partner=outsider.partner, reference_id="X-1", status="gagal")
    response = owner_client.get(
        reverse("billing:transactions_export"), {"status": "gagal"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = local_today()
    start = today - timedelta(days=29)
    assert (
        f'filename="transaksi-production-{start:%Y%m%d}-{today:%Y%m%d}.csv"'
        in response["Content-Disposition"]
    )
    rows = _csv(response)
    assert rows[0][:3] == ["Waktu", "referenceID", "Environment"]
    assert [row[1] for row in rows[1:]] == ["A-2"]
    assert rows[1][9] == "20000"
    assert rows[1][10] == "Gagal"


def test_export_writes_status_and_environment_as_words(owner_client, partner):
    for reference, status in (("S-1", "sukses"), ("P-1", "pending"), ("G-1", "gagal")):
        TransactionFactory(partner=partner, reference_id=reference, status=status)

    rows = _csv(owner_client.get(reverse("billing:transactions_export")))

    assert sorted((row[1], row[2], row[10]) for row in rows[1:]) == [
        ("G-1", "Production", "Gagal"),
        ("P-1", "Production", "Pending"),
        ("S-1", "Production", "Sukses"),
    ]


def test_export_words_follow_the_language_switch(owner_client, partner, settings):
    TransactionFactory(partner=partner, status="sukses")
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    rows = _csv(owner_client.get(reverse("billing:transactions_export")))

    assert rows[1][10] == "Success"


def test_export_neutralises_spreadsheet_formulas(owner_client, partner):
    TransactionFactory(partner=partner, customer_number="=HYPERLINK(1)")
    rows = _csv(owner_client.get(reverse("billing:transactions_export")))
    assert rows[1][6] == "'=HYPERLINK(1)"


def test_export_streams_many_rows(owner_client, partner):
    TransactionFactory.create_batch(2_500, partner=partner)
    rows = _csv(owner_client.get(reverse("billing:transactions_export")))
    assert len(rows) == 2_501


def test_mutasi_export_lists_entries_with_running_balance(owner_client, partner):
    deposit_fund(partner, 100_000)
    paid_transaction(partner, total=30_000, reference_id="M-1")
    rows = _csv(owner_client.get(reverse("billing:mutasi_export")))
    assert rows[0] == ["Waktu", "Jenis", "Keterangan", "Jumlah", "Saldo"]
    assert [(r[1], r[3], r[4]) for r in rows[1:]] == [
        ("Transaksi", "-30000", "70000"),
        ("Top up", "100000", "100000"),
    ]
    assert "ref M-1" in rows[1][2]
