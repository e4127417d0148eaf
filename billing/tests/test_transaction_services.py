import pytest

from billing.models import LedgerEntry, Transaction
from billing.services import (
    BillingError,
    DuplicateReference,
    InsufficientDeposit,
    deposit_balance,
    transaction_complete,
)
from billing.tests.factories import deposit_fund, paid_transaction
from portal.lib.environments import Environment

PROD = Environment.PRODUCTION


def test_create_paid_records_pending_and_debits_in_one_step(partner, ledger_consistent):
    deposit_fund(partner, 100_000)
    txn = paid_transaction(partner, total=25_000, reference_id="INV-1")
    assert txn.status == Transaction.Status.PENDING
    assert txn.ledger_entries.get().amount == -25_000
    assert deposit_balance(partner=partner, environment=PROD) == 75_000
    ledger_consistent()


def test_create_paid_with_short_balance_records_nothing(partner):
    deposit_fund(partner, 5_000)
    with pytest.raises(InsufficientDeposit):
        paid_transaction(partner, total=25_000, reference_id="INV-2")
    assert not Transaction.objects.filter(reference_id="INV-2").exists()
    assert deposit_balance(partner=partner, environment=PROD) == 5_000


def test_reused_reference_is_refused_without_a_second_charge(partner):
    deposit_fund(partner, 100_000)
    paid_transaction(partner, total=10_000, reference_id="INV-3")
    with pytest.raises(DuplicateReference):
        paid_transaction(partner, total=10_000, reference_id="INV-3")
    assert deposit_balance(partner=partner, environment=PROD) == 90_000
    assert Transaction.objects.filter(reference_id="INV-3").count() == 1


def test_same_reference_may_be_used_in_the_other_environment(partner):
    deposit_fund(partner, 100_000)
    deposit_fund(partner, 100_000, Environment.DEVELOPMENT)
    paid_transaction(partner, reference_id="INV-4")
    paid_transaction(partner, reference_id="INV-4", environment=Environment.DEVELOPMENT)
    assert Transaction.objects.filter(reference_id="INV-4").count() == 2


def test_complete_failed_gives_the_money_back_once(partner, ledger_consistent):
    deposit_fund(partner, 100_000)
    txn = paid_transaction(partner, total=30_000)
    done = transaction_complete(transaction=txn, status="gagal", rc="17")
    again = transaction_complete(transaction=txn, status="gagal", rc="17")
    assert done.status == again.status == Transaction.Status.GAGAL
    assert done.completed_at is not None
    kinds = sorted(txn.ledger_entries.values_list("kind", flat=True))
    assert kinds == [LedgerEntry.Kind.DEBIT, LedgerEntry.Kind.REVERSAL]
    assert deposit_balance(partner=partner, environment=PROD) == 100_000
    ledger_consistent()


def test_a_final_transaction_is_never_flipped(partner):
    deposit_fund(partner, 100_000)
    txn = paid_transaction(partner, total=30_000)
    transaction_complete(
        transaction=txn, status="sukses", rc="00", response={"rc": "00"}
    )
    late = transaction_complete(transaction=txn, status="gagal", rc="17")
    assert late.status == Transaction.Status.SUKSES
    assert late.response == {"rc": "00"}
    assert deposit_balance(partner=partner, environment=PROD) == 70_000


def test_complete_still_pending_only_updates_the_answer(partner):
    deposit_fund(partner, 100_000)
    txn = paid_transaction(partner, total=30_000)
    updated = transaction_complete(
        transaction=txn, status="pending", rc="71", response={"rc": "71"}
    )
    assert updated.status == Transaction.Status.PENDING
    assert updated.rc == "71"
    assert updated.completed_at is None


def test_amounts_must_be_positive(partner):
    deposit_fund(partner, 100_000)
    with pytest.raises(BillingError):
        paid_transaction(partner, total=0)
    with pytest.raises(BillingError):
        paid_transaction(partner, total=10_000, tagihan=-1)
