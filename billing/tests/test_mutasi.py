from datetime import timedelta

from django.urls import reverse

from billing.models import LedgerEntry
from billing.selectors import local_today
from billing.services import transaction_complete
from billing.tests.factories import deposit_fund, paid_transaction

URL = reverse("billing:mutasi")


def test_mutasi_lists_entries_with_balance_after(owner_client, partner):
    deposit_fund(partner, 100_000)
    txn = paid_transaction(partner, total=30_000, reference_id="MT-1")
    transaction_complete(transaction=txn, status="gagal", rc="17")
    response = owner_client.get(URL)
    entries = list(response.context["page"].object_list)
    assert [(e.kind, e.amount, e.balance_after) for e in entries] == [
        ("reversal", 30_000, 100_000),
        ("debit", -30_000, 70_000),
        ("topup", 100_000, 100_000),
    ]
    statement = response.context["statement"]
    assert statement.credit == 130_000
    assert statement.debit == 30_000
    assert statement.closing_balance == 100_000
    html = response.content.decode()
    assert "+Rp 30.000" in html
    assert "-Rp 30.000" in html


def test_opening_balance_comes_from_before_the_period(owner_client, partner):
    deposit_fund(partner, 100_000)
    paid_transaction(partner, total=25_000)
    # Entries are append-only and dated now, so look at a period that starts tomorrow.
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = owner_client.get(URL, {"date_from": tomorrow, "date_to": tomorrow})
    statement = response.context["statement"]
    assert statement.opening_balance == 75_000
    assert statement.closing_balance == 75_000
    assert statement.count == 0
    assert statement.credit == statement.debit == 0


def test_development_statement_is_apart_and_offers_sandbox(owner_client, partner):
    deposit_fund(partner, 100_000)
    response = owner_client.get(URL, {"environment": "development"})
    assert response.context["statement"].account is None
    assert "Tambah Saldo Sandbox" in response.content.decode()


def test_kind_filter(owner_client, partner):
    deposit_fund(partner, 100_000)
    paid_transaction(partner, total=30_000)
    response = owner_client.get(URL, {"kind": "debit"})
    kinds = {e.kind for e in response.context["page"].object_list}
    assert kinds == {LedgerEntry.Kind.DEBIT}
