"""On PostgreSQL a debit outside a transaction (the Open API's payment) is one message and a
transaction of its own: committed, its account row and its guard's lock free, as soon as it
returns, as another session sees. Its guard (``DebitGuard``) is read under that lock, in the
debit's own snapshot. Real transactions (no test transaction around them), a second
PostgreSQL connection."""

import threading

import psycopg
import pytest
from django.db import connection, connections, transaction

from accounts.tests.factories import PartnerFactory
from billing.models import DepositAccount, LedgerEntry, Transaction
from billing.services import (
    DebitGuard,
    DuplicateReference,
    InsufficientDeposit,
    Withheld,
)
from billing.tests.conftest import assert_ledger_consistent
from billing.tests.factories import deposit_fund, paid_transaction
from portal.lib.environments import Environment
from portal.tests.nodes import database_url

PROD = Environment.PRODUCTION
ACCOUNTS = DepositAccount._meta.db_table
KEY = "debit-message-test"
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


@pytest.fixture
def watched():
    """A second partner's account, which the guard below watches: the debit is withheld
    once that account holds money."""
    partner = PartnerFactory()
    return DepositAccount.objects.create(partner=partner, environment=PROD)


def _guard(account) -> DebitGuard:
    return DebitGuard(
        lock_key=KEY,
        sql=f"SELECT 1 FROM {ACCOUNTS} WHERE id = %s AND balance > 0",  # noqa: S608
        params=(account.pk,),
    )


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


def _lock_free(other) -> bool:
    with other.transaction():
        return other.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))", [KEY]
        ).fetchone()[0]


def _pay(partner, reference_id="DM-1", total=10_000, **fields):
    return paid_transaction(partner, total=total, reference_id=reference_id, **fields)


def test_outside_a_transaction_the_guarded_debit_is_committed_and_all_unlocked(
    funded, other, watched
):
    assert not connection.in_atomic_block
    _pay(funded, guard=_guard(watched))
    assert _seen_from(other, funded) == (90_000, True)
    assert _lock_free(other)
    assert Transaction.objects.get().reference_id == "DM-1"
    assert_ledger_consistent()


def test_inside_a_block_the_row_and_the_lock_stay_held_until_it_ends(
    funded, other, watched
):
    with transaction.atomic():
        _pay(funded, guard=_guard(watched))
        assert _seen_from(other, funded) == (100_000, False)
        assert not _lock_free(other)
    assert _seen_from(other, funded) == (90_000, True)
    assert _lock_free(other)


def test_a_guard_that_finds_a_row_withholds_the_debit_and_writes_nothing(
    funded, other, watched
):
    deposit_fund(watched.partner, 1)
    with pytest.raises(Withheld):
        _pay(funded, guard=_guard(watched))
    with pytest.raises(Withheld), transaction.atomic():
        _pay(funded, guard=_guard(watched))
    assert _seen_from(other, funded) == (100_000, True)
    assert _lock_free(other)
    assert not Transaction.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DEBIT).exists()


def test_refused_debits_write_nothing_and_leave_the_connection_usable(funded, other):
    with pytest.raises(InsufficientDeposit):
        _pay(funded, total=500_000)
    _pay(funded, reference_id="DM-DUP")
    with pytest.raises(DuplicateReference):
        _pay(funded, reference_id="DM-DUP")
    # Inside a caller's block, a savepoint keeps the block usable after the refusal.
    with transaction.atomic():
        with pytest.raises(DuplicateReference):
            _pay(funded, reference_id="DM-DUP")
        _pay(funded, reference_id="DM-2")
    assert _seen_from(other, funded) == (80_000, True)
    assert sorted(Transaction.objects.values_list("reference_id", flat=True)) == [
        "DM-2",
        "DM-DUP",
    ]
    assert_ledger_consistent()


def test_the_guard_reads_what_the_lock_holder_committed(funded, other, watched):
    """Another session holds the lock and funds the watched account, not yet committed.
    The debit waits for the lock, and its guard then sees the money: withheld."""
    holder = psycopg.connect(database_url(connection.settings_dict))
    outcome = []

    def pay():
        try:
            _pay(funded, guard=_guard(watched))
            outcome.append("debited")
        except Withheld:
            outcome.append("withheld")
        finally:
            connections.close_all()

    try:
        holder.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [KEY])
        holder.execute(
            f"UPDATE {ACCOUNTS} SET balance = 5 WHERE id = %s",  # noqa: S608
            [watched.pk],
        )
        payer = threading.Thread(target=pay)
        payer.start()
        # Until the payer waits for the lock (no sleep decides it: the server says so).
        while not other.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()[0]:
            assert payer.is_alive(), outcome
        holder.commit()
        payer.join(timeout=30)
    finally:
        holder.close()
    assert outcome == ["withheld"]
    assert _seen_from(other, funded) == (100_000, True)
    assert not Transaction.objects.exists()
