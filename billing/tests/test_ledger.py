import pytest
from django.db import IntegrityError, connection, transaction

from billing.models import DepositAccount, LedgerEntry, LedgerImmutableError
from billing.services import (
    BillingError,
    InsufficientDeposit,
    deposit_balance,
    deposit_debit,
    deposit_reverse,
)
from billing.tests.factories import TransactionFactory, deposit_fund
from portal.lib.environments import Environment

PROD = Environment.PRODUCTION


def test_debit_writes_an_entry_and_lowers_the_balance(partner, ledger_consistent):
    deposit_fund(partner, 50_000)
    txn = TransactionFactory(partner=partner, total=20_000)
    entry = deposit_debit(
        partner=partner, environment=PROD, amount=20_000, transaction=txn
    )
    assert entry.amount == -20_000
    assert entry.balance_after == 30_000
    assert entry.kind == LedgerEntry.Kind.DEBIT
    assert deposit_balance(partner=partner, environment=PROD) == 30_000
    ledger_consistent()


def test_debit_refused_when_balance_short_writes_nothing(partner):
    deposit_fund(partner, 5_000)
    txn = TransactionFactory(partner=partner, total=20_000)
    with pytest.raises(InsufficientDeposit) as refused:
        deposit_debit(partner=partner, environment=PROD, amount=20_000, transaction=txn)
    assert refused.value.balance == 5_000
    assert refused.value.amount == 20_000
    assert "Rp 5.000" in refused.value.message
    assert LedgerEntry.objects.filter(transaction=txn).count() == 0
    assert deposit_balance(partner=partner, environment=PROD) == 5_000


def test_debit_without_any_account_is_insufficient(partner):
    txn = TransactionFactory(partner=partner)
    with pytest.raises(InsufficientDeposit):
        deposit_debit(partner=partner, environment=PROD, amount=1_000, transaction=txn)
    assert not DepositAccount.objects.exists()


def test_debit_of_the_same_transaction_twice_charges_once(partner):
    deposit_fund(partner, 50_000)
    txn = TransactionFactory(partner=partner)
    first = deposit_debit(
        partner=partner, environment=PROD, amount=10_000, transaction=txn
    )
    again = deposit_debit(
        partner=partner, environment=PROD, amount=10_000, transaction=txn
    )
    assert first.pk == again.pk
    assert deposit_balance(partner=partner, environment=PROD) == 40_000


def test_debit_refuses_another_partners_transaction(partner, outsider):
    deposit_fund(partner, 50_000)
    txn = TransactionFactory(partner=outsider.partner)
    with pytest.raises(BillingError):
        deposit_debit(partner=partner, environment=PROD, amount=1_000, transaction=txn)


def test_environments_are_separate_accounts(partner):
    deposit_fund(partner, 50_000, Environment.DEVELOPMENT)
    txn = TransactionFactory(partner=partner, environment=PROD)
    with pytest.raises(InsufficientDeposit):
        deposit_debit(partner=partner, environment=PROD, amount=1_000, transaction=txn)
    assert (
        deposit_balance(partner=partner, environment=Environment.DEVELOPMENT) == 50_000
    )


def test_reverse_credits_once(partner, ledger_consistent):
    deposit_fund(partner, 50_000)
    txn = TransactionFactory(partner=partner)
    deposit_debit(partner=partner, environment=PROD, amount=10_000, transaction=txn)
    reversal = deposit_reverse(transaction=txn)
    assert reversal.amount == 10_000
    assert reversal.kind == LedgerEntry.Kind.REVERSAL
    assert deposit_reverse(transaction=txn) is None
    assert deposit_balance(partner=partner, environment=PROD) == 50_000
    ledger_consistent()


def test_reverse_of_a_transaction_never_debited_does_nothing(partner):
    deposit_fund(partner, 50_000)
    txn = TransactionFactory(partner=partner)
    assert deposit_reverse(transaction=txn) is None
    assert deposit_balance(partner=partner, environment=PROD) == 50_000


def test_entries_cannot_be_edited_or_deleted_through_the_orm(partner):
    entry = deposit_fund(partner, 10_000)
    entry.amount = 99_999
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(LedgerImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.amount == 10_000


def test_the_database_refuses_update_and_delete_of_entries(partner):
    entry = deposit_fund(partner, 10_000)
    table = LedgerEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET amount = 1 WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 10_000


def test_the_database_keeps_balances_at_zero_or_more(partner):
    deposit_fund(partner, 10_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        DepositAccount.objects.filter(partner=partner).update(balance=-1)


def test_a_second_reversal_row_is_refused_by_the_database(partner):
    deposit_fund(partner, 50_000)
    txn = TransactionFactory(partner=partner)
    deposit_debit(partner=partner, environment=PROD, amount=10_000, transaction=txn)
    first = deposit_reverse(transaction=txn)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            account=first.account,
            kind=LedgerEntry.Kind.REVERSAL,
            amount=10_000,
            balance_after=60_000,
            transaction=txn,
        )
