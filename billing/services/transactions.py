"""Recording the Open API's transactions, with their deposit movements.

The intended flow of a Payment / SinglePayment:

1. ``transaction_create_paid(...)`` records the transaction as *pending* and debits the deposit
   in one atomic step (``InsufficientDeposit`` → rc 12 with nothing recorded;
   ``DuplicateReference`` → rc 86), before the biller is asked;
2. ``transaction_complete(...)`` stores the biller's answer: *sukses*, *gagal* (the debit is
   reversed, once) or still *pending*; a final transaction is never changed again.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import IntegrityError, connection
from django.db.transaction import atomic
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from billing.models import DepositAccount, LedgerEntry, Transaction
from billing.services.deposit import (
    debit_description,
    deposit_debit,
    deposit_reverse,
    insufficient_for,
)
from billing.services.errors import BillingError, DuplicateReference
from portal.lib.sql import (
    col,
    db_values,
    execute,
    insert_row,
    instance,
    stored_fields,
    table,
)

REFERENCE_CONSTRAINT = "billing_txn_reference_unique"


def _reference_clash(exc: IntegrityError) -> bool:
    """Whether ``exc`` is the unique referenceID constraint (told apart without a query, so
    that no savepoint is needed around the insert)."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name == REFERENCE_CONSTRAINT
    return "reference_id" in str(exc)


def _insert(**fields) -> Transaction:
    """Insert a transaction with one prepared statement (the ORM's compiler costs more CPU
    than the database spends on the row)."""
    try:
        created = insert_row(Transaction, _row(fields))
    except IntegrityError as exc:
        _raise_duplicate(exc, fields)
        raise
    return _related(created, fields)


def _row(fields: dict) -> dict:
    """A transaction's column values (by attribute name) from the service's fields."""
    now = timezone.now()
    return {
        **{k: v for k, v in fields.items() if k not in ("partner", "product")},
        "partner_id": fields["partner"].pk,
        "product_id": fields["product"].pk if fields["product"] is not None else None,
        "created_at": now,
        "updated_at": now,
    }


def _related(created: Transaction, fields: dict) -> Transaction:
    """The partner and product the caller passed, so that reading them costs no query."""
    created.partner = fields["partner"]
    created.product = fields["product"]
    return created


def _raise_duplicate(exc: IntegrityError, fields: dict) -> None:
    if _reference_clash(exc):
        raise DuplicateReference(
            _("referenceID %(ref)s sudah pernah digunakan.")
            % {"ref": fields["reference_id"]}
        ) from exc


@functools.cache
def _insert_debited_sql() -> str:
    """PostgreSQL: the debit, the transaction and its ledger entry in one statement. The
    conditional UPDATE takes the account row lock (held to the commit) and the time under
    it; the transaction is inserted only if the debit happened, the entry only with both."""
    a = {name: col(DepositAccount, name) for name in ("id", "balance", "updated_at")}
    columns = ", ".join(col(Transaction, name) for name in stored_fields(Transaction))
    values = ", ".join(["%s"] * len(stored_fields(Transaction)))
    ledger_fields = stored_fields(LedgerEntry)
    ledger = ", ".join(col(LedgerEntry, name) for name in ledger_fields)
    entry = ", ".join(LEDGER_FROM_DEBIT.get(name, "%s") for name in ledger_fields)
    return f"""
        WITH debit AS (
            UPDATE {table(DepositAccount)}
            SET {a["balance"]} = {a["balance"]} - %s, {a["updated_at"]} = clock_timestamp()
            WHERE {col(DepositAccount, "partner_id")} = %s
              AND {col(DepositAccount, "environment")} = %s AND {a["balance"]} >= %s
            RETURNING {a["id"]} AS id, {a["balance"]} AS balance,
                {a["updated_at"]} AS updated_at
        ), created AS (
            INSERT INTO {table(Transaction)} ({columns})
            SELECT {values} FROM debit
            RETURNING {col(Transaction, "id")} AS id
        )
        INSERT INTO {table(LedgerEntry)} ({ledger})
        SELECT {entry} FROM debit, created
        RETURNING {col(LedgerEntry, "transaction_id")}
    """  # noqa: S608 - names come from _meta; values are parameters


# The ledger entry's columns that come from the debit and the new transaction; the others
# are parameters.
LEDGER_FROM_DEBIT = {
    "account_id": "debit.id",
    "balance_after": "debit.balance",
    "transaction_id": "created.id",
    "created_at": "debit.updated_at",
}


def _insert_debited(*, actor, **fields) -> Transaction:
    """``_insert`` and ``deposit_debit`` in one round trip (PostgreSQL)."""
    values = _row(fields)
    total = fields["total"]
    partner_id = values["partner_id"]
    environment = fields["environment"]
    entry = {
        "kind": LedgerEntry.Kind.DEBIT,
        "amount": -total,
        "description": debit_description(
            product_code=fields["product_code"],
            customer_number=fields["customer_number"],
            reference_id=fields["reference_id"],
        ),
        "topup_id": None,
        "adjustment_id": None,
        "created_by_id": actor.pk if actor is not None and actor.pk else None,
    }
    params = [
        total,
        partner_id,
        environment,
        total,
        *db_values(Transaction, stored_fields(Transaction), values),
        *(
            entry[name]
            for name in stored_fields(LedgerEntry)
            if name not in LEDGER_FROM_DEBIT
        ),
    ]
    try:
        with connection.cursor() as cursor:
            execute(cursor, _insert_debited_sql(), params)
            row = cursor.fetchone()
    except IntegrityError as exc:
        _raise_duplicate(exc, fields)
        raise
    if row is None:
        raise insufficient_for(
            partner_id=partner_id, environment=environment, amount=total
        )
    return _related(instance(Transaction, {**values, "id": row[0]}), fields)


def transaction_create_paid(
    *,
    partner: Partner,
    environment: str,
    product_code: str,
    product_name: str,
    category: str,
    customer_number: str,
    reference_id: str,
    tagihan: int,
    admin: int,
    total: int,
    request: dict[str, Any],
    service: str = "",
    status: str = Transaction.Status.PENDING,
    rc: str = "",
    description: str = "",
    response: dict[str, Any] | None = None,
    product=None,
    actor=None,
    savepoint: bool = True,
) -> Transaction:
    """Record a transaction and debit ``total`` from the deposit, all or nothing.

    Raises ``InsufficientDeposit`` or ``DuplicateReference`` (both ``BillingError``) and then
    nothing is written. Inside a caller's transaction a savepoint keeps that transaction
    usable after a refusal; a caller that rolls back on any refusal anyway (the Open API's
    payment) passes ``savepoint=False`` to save the round trips.
    """
    if total <= 0:
        raise BillingError(_("Total transaksi harus lebih dari 0."))
    for name, value in (("tagihan", tagihan), ("admin", admin)):
        if value < 0:
            raise BillingError(
                _("Jumlah %(field)s tidak boleh negatif.") % {"field": name}
            )
    fields = {
        "partner": partner,
        "environment": environment,
        "service": service,
        "product_code": product_code,
        "product_name": product_name,
        "category": category,
        "customer_number": customer_number,
        "reference_id": reference_id,
        "tagihan": tagihan,
        "admin": admin,
        "total": total,
        "status": status,
        "rc": rc,
        "description": description,
        "request": request,
        "response": response,
        "product": product,
        "completed_at": None
        if status == Transaction.Status.PENDING
        else timezone.now(),
    }
    with atomic(savepoint=savepoint):
        if connection.vendor == "postgresql":
            return _insert_debited(actor=actor, **fields)
        transaction = _insert(**fields)
        deposit_debit(
            partner=partner,
            environment=environment,
            amount=total,
            transaction=transaction,
            actor=actor,
            fresh=True,
        )
    return transaction


@functools.cache
def _complete_sql(names: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{col(Transaction, name)} = %s" for name in names)
    return (
        f"UPDATE {table(Transaction)} SET {assignments} "  # noqa: S608 - names come from _meta; values are parameters
        f"WHERE {col(Transaction, 'id')} = %s AND {col(Transaction, 'status')} = %s"
    )


def transaction_complete(
    *,
    transaction: Transaction,
    status: str,
    rc: str = "",
    description: str = "",
    response: dict[str, Any] | None = None,
    actor=None,
) -> Transaction:
    """Store the biller's answer for a pending transaction.

    *gagal* reverses the debit (exactly once); *pending* only updates rc, description and
    response. A transaction that is already final is returned unchanged, so a late or repeated
    callback cannot flip it.
    """
    if status not in Transaction.Status.values:
        raise BillingError(_("Status transaksi tidak dikenal."))
    if status != Transaction.Status.GAGAL:
        # Success or still pending moves no money: one conditional UPDATE, which waits for
        # (and then respects) a concurrent completion of the same transaction.
        now = timezone.now()
        fields = {"rc": rc, "description": description[:255], "updated_at": now}
        if response is not None:
            fields["response"] = response
        if status != Transaction.Status.PENDING:
            fields.update(status=status, completed_at=now)
        names = tuple(fields)
        with connection.cursor() as cursor:
            execute(
                cursor,
                _complete_sql(names),
                [
                    *db_values(Transaction, names, fields),
                    transaction.pk,
                    Transaction.Status.PENDING,
                ],
            )
            updated = cursor.rowcount
        if updated:
            for name, value in fields.items():
                setattr(transaction, name, value)
            return transaction
        return Transaction.objects.get(pk=transaction.pk)
    with atomic():
        locked = (
            Transaction.objects.select_for_update(no_key=True)
            .filter(pk=transaction.pk)
            .get()
        )
        if locked.is_final:
            return locked
        locked.rc = rc
        locked.description = description[:255]
        if response is not None:
            locked.response = response
        locked.status = status
        locked.completed_at = timezone.now()
        locked.save(
            update_fields=[
                "rc",
                "description",
                "response",
                "status",
                "completed_at",
                "updated_at",
            ]
        )
        deposit_reverse(transaction=locked, actor=actor)
    return locked
