"""A debit that ends its transaction commits in the same message (``ends_transaction``): the
account row is free again as soon as the statement returns, as another connection sees.
Real transactions (no test transaction around them), a second PostgreSQL connection."""

import psycopg
import pytest
from django.db import connection, transaction

from accounts.tests.factories import PartnerFactory
from billing.models import DepositAccount, Transaction
from billing.services import DuplicateReference, InsufficientDeposit
from billing.tests.conftest import assert_ledger_consistent
from billing.tests.factories import deposit_fund, paid_transaction
from portal.lib.environments import Environment
from portal.tests.nodes import database_url

PROD = Environment.PRODUCTION
ACCOUNTS = DepositAccount._meta.db_table
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def funded():
    partner = PartnerFactory()
    deposit_fund(partner, 100_000)
    return partner


@pytest.fixture
def other():
    """Another session on the same database: what the rest of the world sees."""
    with psycopg.connect(database_url(connection.settings_dict), autocommit=True) as c:
        yield c


def _seen_from(other, partner) -> tuple[int, bool]:
    """(the balance another session reads, whether it could lock the row at once)."""
    account = DepositAccount.objects.get(partner=partner, environment=PROD)
    try:
        row = other.execute(
            f"SELECT balance FROM {ACCOUNTS} WHERE id = %s FOR UPDATE NOWAIT",  # noqa: S608
            [account.pk],
        ).fetchone()
    except psycopg.errors.LockNotAvailable:
        row = other.execute(
            f"SELECT balance FROM {ACCOUNTS} WHERE id = %s",  # noqa: S608
            [account.pk],
        ).fetchone()
        return row[0], False
    return row[0], True


def _pay(partner, reference_id="CWD-1", total=10_000, **fields):
    return paid_transaction(
        partner,
        total=total,
        reference_id=reference_id,
        savepoint=False,
        **fields,
    )


def test_a_debit_that_ends_the_transaction_is_committed_and_unlocked_at_once(
    funded, other
):
    with transaction.atomic():
        _pay(funded, ends_transaction=True)
        # Still inside the block: another session already sees the debit, row unlocked.
        assert _seen_from(other, funded) == (90_000, True)
    assert Transaction.objects.get().reference_id == "CWD-1"
    assert_ledger_consistent()


def test_without_it_the_row_stays_locked_until_the_block_ends(funded, other):
    with transaction.atomic():
        _pay(funded)
        assert _seen_from(other, funded) == (100_000, False)
    assert _seen_from(other, funded) == (90_000, True)


def test_inside_a_savepoint_the_commit_waits_for_the_outer_block(funded, other):
    with transaction.atomic(), transaction.atomic():
        _pay(funded, ends_transaction=True)
        assert _seen_from(other, funded) == (100_000, False)
    assert _seen_from(other, funded) == (90_000, True)


def test_a_refused_debit_writes_nothing_and_leaves_the_connection_usable(funded, other):
    with pytest.raises(InsufficientDeposit), transaction.atomic():
        _pay(funded, total=500_000, ends_transaction=True)
    _pay(funded, reference_id="CWD-DUP", ends_transaction=False)
    with pytest.raises(DuplicateReference), transaction.atomic():
        _pay(funded, reference_id="CWD-DUP", ends_transaction=True)
    assert _seen_from(other, funded) == (90_000, True)
    assert list(Transaction.objects.values_list("reference_id", flat=True)) == [
        "CWD-DUP"
    ]
    assert_ledger_consistent()
