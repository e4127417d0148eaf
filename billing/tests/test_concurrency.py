"""Real threads, each with its own PostgreSQL connection, released together by a barrier."""

import pytest
from django.db.models import Sum

from accounts.tests.factories import PartnerFactory, StaffFactory
from billing.models import DepositAccount, LedgerEntry, TopUp
from billing.services import (
    InsufficientDeposit,
    deposit_balance,
    deposit_reverse,
    transaction_complete,
)
from billing.tests.conftest import assert_ledger_consistent
from billing.tests.factories import TopUpFactory, deposit_fund, paid_transaction
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus, review_decide

PROD = Environment.PRODUCTION
pytestmark = pytest.mark.django_db(transaction=True)


def test_100_simultaneous_debits_against_500_000_give_exactly_50(concurrently):
    partner = PartnerFactory()
    deposit_fund(partner, 500_000)

    def debit(n):
        return paid_transaction(partner, total=10_000, reference_id=f"C{n:04d}")

    results, errors = concurrently(debit, list(range(100)))
    assert errors == []
    paid = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, InsufficientDeposit)]
    assert len(paid) == 50
    assert len(refused) == 50
    assert deposit_balance(partner=partner, environment=PROD) == 0
    account = DepositAccount.objects.get(partner=partner, environment=PROD)
    assert account.entries.aggregate(total=Sum("amount"))["total"] == 0
    assert account.entries.filter(kind=LedgerEntry.Kind.DEBIT).count() == 50
    assert_ledger_consistent()


def test_topup_confirmations_and_debits_together_lose_nothing(concurrently):
    partner = PartnerFactory()
    staff = StaffFactory()
    deposit_fund(partner, 100_000)
    topups = [TopUpFactory(partner=partner) for _ in range(20)]
    credited = sum(t.transfer_amount for t in topups)
    jobs = [("topup", t.pk) for t in topups] + [("debit", n) for n in range(60)]

    def work(job):
        kind, key = job
        if kind == "topup":
            topup = TopUp.objects.get(pk=key)
            return review_decide(subject=topup, approve=True, actor=staff)
        return paid_transaction(partner, total=50_000, reference_id=f"M{key:04d}")

    results, errors = concurrently(work, jobs)
    assert errors == []
    debits = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DEBIT).count()
    refused = sum(isinstance(r, InsufficientDeposit) for r in results)
    assert debits + refused == 60
    assert TopUp.objects.filter(review_status=ReviewStatus.APPROVED).count() == 20
    assert LedgerEntry.objects.filter(topup__isnull=False).count() == 20
    expected = 100_000 + credited - 50_000 * debits
    assert deposit_balance(partner=partner, environment=PROD) == expected
    assert_ledger_consistent()


def test_concurrent_reversals_credit_once(concurrently):
    partner = PartnerFactory()
    deposit_fund(partner, 100_000)
    txn = paid_transaction(partner, total=40_000)

    def reverse(n):
        if n % 2:
            return deposit_reverse(transaction=txn)
        return transaction_complete(transaction=txn, status="gagal", rc="17")

    results, errors = concurrently(reverse, list(range(20)))
    assert errors == []
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).count() == 1
    assert deposit_balance(partner=partner, environment=PROD) == 100_000
    assert_ledger_consistent()
