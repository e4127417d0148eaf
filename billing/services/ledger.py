"""The one way a deposit balance moves: ``ledger_post``.

A movement is one conditional UPDATE of the account (``balance + amount >= 0``, so a debit
never takes the balance below zero and the account row stays locked until the commit) and
the ledger entry that records it, with the balance after and the time read under the lock.
On PostgreSQL both are one statement, into which the Open API's payment also puts the
transaction it pays for and the check that may withhold it (``DebitGuard``); other
databases (SQLite for ``make run``) run the same steps one statement at a time.

Taking money (``deposit_debit``, ``transaction_create_paid``, a negative adjustment) and
giving it (a reversal, a top-up, play money, a positive adjustment) all post through here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.formatting import format_rupiah
from billing.models import DepositAccount, LedgerEntry, Transaction
from billing.services.errors import InsufficientDeposit, Withheld
from portal.lib.sql import (
    col,
    execute,
    execute_committed,
    insert_row,
    instance,
    json_record,
    json_row,
    statement,
    stored_fields,
    table,
)

# The ledger entry's columns taken from the account update (and the transaction inserted
# with it); the others are parameters.
_FROM_MOVE = {
    "account_id": "moved.id",
    "balance_after": "moved.balance",
    "created_at": "moved.updated_at",
}
_RETURNED = ("id", "account_id", "balance_after", "created_at", "transaction_id")


def _entry_params(with_transaction: bool) -> tuple[str, ...]:
    """The ledger columns passed as parameters, in the order of the statement."""
    taken = {**_FROM_MOVE, **({"transaction_id": ""} if with_transaction else {})}
    return tuple(name for name in stored_fields(LedgerEntry) if name not in taken)


# Taken before a guarded debit, in its message: held until that transaction ends.
ADVISORY_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(%s))"


@dataclass(frozen=True)
class DebitGuard:
    """What refuses a debit in the debit's own statement: when ``sql`` (a ``SELECT`` with
    ``%s`` placeholders for ``params``) finds a row, nothing is written (``Withheld``). On
    PostgreSQL the transaction-level advisory lock of ``lock_key`` is taken first, in the
    same message, so that two debits of one key never both pass: the second one's check sees
    what the first committed. (The Open API's rc 75 is such a guard.)"""

    lock_key: str
    sql: str
    params: tuple[Any, ...]


@functools.cache
def _post_sql(with_transaction: bool, guard_sql: str | None) -> str:
    """PostgreSQL: move the balance and append the entry (and, ``with_transaction``, insert
    the transaction the entry belongs to) in one statement. Nothing is written when the
    account is missing, the balance would go below zero or ``guard_sql`` finds a row. The
    row returned: the entry's ``_RETURNED`` columns (NULL when nothing was written) and
    whether the guard found a row, both read in the statement's one snapshot."""
    a = {name: col(DepositAccount, name) for name in ("id", "balance", "updated_at")}
    withheld, condition, found, source = "", "", "false", "entry"
    if guard_sql is not None:
        withheld = f"withheld AS (SELECT EXISTS ({guard_sql}) AS found), "
        condition = " AND NOT (SELECT found FROM withheld)"
        found, source = "withheld.found", "withheld LEFT JOIN entry ON true"
    created, joined = "", "moved"
    sources = dict(_FROM_MOVE)
    if with_transaction:
        names = stored_fields(Transaction)
        columns = ", ".join(col(Transaction, name) for name in names)
        values = ", ".join(f"given.{col(Transaction, name)}" for name in names)
        created = (
            f", created AS (INSERT INTO {table(Transaction)} ({columns}) "  # noqa: S608 - names come from _meta; values are parameters
            f"SELECT {values} FROM {json_record(Transaction)} AS given, moved "
            f"RETURNING {col(Transaction, 'id')} AS id)"
        )
        joined = "moved, created"
        sources["transaction_id"] = "created.id"
    ledger_fields = stored_fields(LedgerEntry)
    ledger = ", ".join(col(LedgerEntry, name) for name in ledger_fields)
    entry = ", ".join(sources.get(name, "%s") for name in ledger_fields)
    returned = [col(LedgerEntry, name) for name in _RETURNED]
    selected = ", ".join(f"entry.{name}" for name in returned)
    return f"""
        WITH {withheld}moved AS (
            UPDATE {table(DepositAccount)}
            SET {a["balance"]} = {a["balance"]} + %s, {a["updated_at"]} = clock_timestamp()
            WHERE {col(DepositAccount, "partner_id")} = %s
              AND {col(DepositAccount, "environment")} = %s AND {a["balance"]} + %s >= 0
              {condition}
            RETURNING {a["id"]} AS id, {a["balance"]} AS balance,
                {a["updated_at"]} AS updated_at
        ){created}, entry AS (
            INSERT INTO {table(LedgerEntry)} ({ledger})
            SELECT {entry} FROM {joined}
            RETURNING {", ".join(returned)}
        )
        SELECT {selected}, {found} FROM {source}
    """  # noqa: S608 - names come from _meta; values are parameters


def _withheld() -> Withheld:
    return Withheld(
        _("Debit tidak dilakukan: pemeriksaannya menemukan transaksi yang menghalangi.")
    )


def _post_message(cursor, post_sql: str, params: list, guard: DebitGuard | None):
    """Send the post, after the guard's lock, in one message, and return its row. Outside a
    transaction the message is a transaction of its own that holds the account row for the
    server's work alone, not for the disk (``portal.lib.sql.execute_committed``)."""
    texts, sent = [statement(cursor, post_sql)], list(params)
    if guard is not None:
        texts.insert(0, statement(cursor, ADVISORY_LOCK_SQL))
        sent.insert(0, guard.lock_key)
    if not connection.in_atomic_block:
        execute_committed(cursor, texts, sent)
    else:
        cursor.execute("; ".join(texts), sent)
        # psycopg keeps the result of each statement: the post's is the last.
        for _ in texts[1:]:
            cursor.nextset()
    return cursor.fetchone()


@functools.cache
def _move_sql() -> str:
    """Other databases: the account update alone, returning what the entry needs."""
    a = {name: col(DepositAccount, name) for name in ("id", "balance", "updated_at")}
    return (
        f"UPDATE {table(DepositAccount)} "  # noqa: S608 - names come from _meta
        f"SET {a['balance']} = {a['balance']} + %s, {a['updated_at']} = %s "
        f"WHERE {col(DepositAccount, 'partner_id')} = %s "
        f"AND {col(DepositAccount, 'environment')} = %s AND {a['balance']} + %s >= 0 "
        f"RETURNING {a['id']}, {a['balance']}"
    )


def ledger_post(
    *,
    partner_id: int,
    environment: str,
    amount: int,
    kind: str,
    description: str,
    actor=None,
    transaction_id: int | None = None,
    topup_id: int | None = None,
    adjustment_id: int | None = None,
    new_transaction: dict[str, Any] | None = None,
    guard: DebitGuard | None = None,
) -> LedgerEntry | None:
    """Move the partner's balance in ``environment`` by ``amount`` (negative takes money)
    and append its entry; None when the account is missing or short, ``Withheld`` when
    ``guard`` finds a row.

    ``new_transaction`` (a transaction's column values by attribute name) inserts that
    transaction in the same step and links the entry to it; on a refusal the caller rolls
    its transaction back (only PostgreSQL's one statement writes nothing at all). An
    ``IntegrityError`` of the transaction insert propagates.

    On PostgreSQL the post is one message, a transaction by itself outside ``atomic()``: the
    account row is locked for the server's work alone, not for a round trip back to this
    process and its turn at the GIL. One partner's payments all debit one row, and a COMMIT
    one round trip later capped them near 140 a second (README "Performance"). Inside a
    caller's transaction the row stays locked until it ends, so a caller that locks other
    rows locks them first. Other databases run the steps one statement at a time, inside the
    caller's transaction.
    """
    entry = {
        "kind": kind,
        "amount": amount,
        "description": description[:255],
        "transaction_id": transaction_id,
        "topup_id": topup_id,
        "adjustment_id": adjustment_id,
        "created_by_id": actor.pk if actor is not None and actor.pk else None,
    }
    if connection.vendor == "postgresql":
        with_transaction = new_transaction is not None
        params = [*(guard.params if guard is not None else ())]
        params += [amount, partner_id, environment, amount]
        if new_transaction is not None:
            params.append(
                json_row(Transaction, stored_fields(Transaction), new_transaction)
            )
        params += [entry[name] for name in _entry_params(with_transaction)]
        post_sql = _post_sql(with_transaction, guard.sql if guard else None)
        with connection.cursor() as cursor:
            row = _post_message(cursor, post_sql, params, guard)
        if row is None:
            return None
        *written, found = row
        if found:
            raise _withheld()
        if written[0] is None:
            return None
        return instance(
            LedgerEntry, {**entry, **dict(zip(_RETURNED, written, strict=True))}
        )
    if guard is not None:
        with connection.cursor() as cursor:
            execute(cursor, guard.sql, guard.params)
            if cursor.fetchone() is not None:
                raise _withheld()
    if new_transaction is not None:
        # Before the account update: a duplicate referenceID then fails before the
        # account row is written, as the concurrent duplicates of the Open API expect.
        entry["transaction_id"] = insert_row(Transaction, new_transaction).pk
    now = timezone.now()
    with connection.cursor() as cursor:
        execute(cursor, _move_sql(), [amount, now, partner_id, environment, amount])
        row = cursor.fetchone()
    if row is None:
        return None
    account_id, balance = row
    return insert_row(
        LedgerEntry,
        {
            **entry,
            "account_id": account_id,
            "balance_after": balance,
            "created_at": now,
        },
    )


def insufficient_for(
    *, partner_id: int, environment: str, amount: int
) -> InsufficientDeposit:
    """The refusal of a debit of ``amount``, naming the balance as it is now."""
    balance = DepositAccount.balance_of(partner_id=partner_id, environment=environment)
    return InsufficientDeposit(
        _("Saldo deposit tidak mencukupi (saldo %(balance)s, dibutuhkan %(amount)s).")
        % {"balance": format_rupiah(balance), "amount": format_rupiah(amount)},
        balance=balance,
        amount=amount,
    )
