"""Pages cost the same number of queries with 10 rows as with hundreds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import BankAccount, DepositAccount, LedgerEntry, TopUp, Transaction
from billing.tests.factories import BankAccountFactory
from portal.lib.environments import Environment

PAGES = [
    reverse("portal:dashboard"),
    reverse("billing:transactions"),
    reverse("billing:transactions") + "?status=sukses&category=Pulsa",
    reverse("billing:mutasi"),
    reverse("billing:topups"),
]


def _grow(partner, count: int, start: int):
    """Add ``count`` transactions and ledger entries spread over the last 30 days."""
    account, _ = DepositAccount.objects.get_or_create(
        partner=partner, environment=Environment.PRODUCTION
    )
    now = timezone.now()
    statuses = ["sukses", "pending", "gagal"]
    Transaction.objects.bulk_create(
        Transaction(
            partner=partner,
            environment=Environment.PRODUCTION,
            product_code="501021",
            product_name="Telkomsel 10.000",
            category="Pulsa",
            customer_number=f"0812{n:08d}",
            reference_id=f"Q{n:08d}",
            tagihan=10_000,
            admin=200,
            total=10_200,
            status=statuses[n % 3],
            created_at=now - timedelta(hours=n % (24 * 29)),
        )
        for n in range(start, start + count)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            account=account,
            kind=LedgerEntry.Kind.TOPUP,
            amount=1_000,
            balance_after=1_000 * (n + 1),
            description="uji",
            created_at=now - timedelta(hours=count - n),
        )
        for n in range(start, start + count)
    )

    bank = BankAccount.objects.first() or BankAccountFactory()
    TopUp.objects.bulk_create(
        TopUp(
            partner=partner,
            bank_account=bank,
            amount=100_000,
            unique_code=n % 999 + 1,
            transfer_amount=100_000 + n,
            expires_at=now,
            review_status="approved",
        )
        for n in range(start, start + count)
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_rows(
    owner_client, partner, url, django_assert_num_queries
):
    _grow(partner, 10, 0)
    few = _queries(owner_client, url)
    _grow(partner, 400, 10)
    with django_assert_num_queries(few):
        response = owner_client.get(url)
    assert response.status_code == 200
