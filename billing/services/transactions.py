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
from billing.models import LedgerEntry, Transaction
from billing.services.deposit import debit_description, deposit_reverse
from billing.services.errors import BillingError, DuplicateReference
from billing.services.ledger import DebitGuard, insufficient_for, ledger_post
from portal.lib.constraints import unique_violation
from portal.lib.sql import col, db_values, instance, table, write_relaxed

REFERENCE_CONSTRAINT = "billing_txn_reference_unique"


def _reference_clash(exc: IntegrityError) -> bool:
    """Whether ``exc`` is the unique referenceID constraint (told apart without a query, so
    that no savepoint is needed around the insert): by its name, or on SQLite by its
    columns (``portal.lib.constraints``)."""
    return unique_violation(exc, Transaction, REFERENCE_CONSTRAINT)


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


def _insert_debited(*, actor, guard: DebitGuard | None, **fields) -> Transaction:
    """Insert the transaction with the debit of its total: one ledger post."""
    values = _row(fields)
    total = fields["total"]
    try:
        entry = ledger_post(
            partner_id=values["partner_id"],
            environment=fields["environment"],
            amount=-total,
            kind=LedgerEntry.Kind.DEBIT,
            description=debit_description(
                product_code=fields["product_code"],
                customer_number=fields["customer_number"],
                reference_id=fields["reference_id"],
            ),
            actor=actor,
            new_transaction=values,
            guard=guard,
        )
    except IntegrityError as exc:
        _raise_duplicate(exc, fields)
        raise
    if entry is None:
        raise insufficient_for(
            partner_id=values["partner_id"],
            environment=fields["environment"],
            amount=total,
        )
    return _related(
        instance(Transaction, {**values, "id": entry.transaction_id}), fields
    )


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
    provider_id: int | None = None,
    buy_price: int = 0,
    upstream_ref: str = "",
    guard: DebitGuard | None = None,
) -> Transaction:
    """Record a transaction and debit ``total`` from the deposit, all or nothing.

    Raises ``InsufficientDeposit``, ``DuplicateReference`` or, when ``guard`` finds a row,
    ``Withheld`` (all ``BillingError``) and then nothing is written. On PostgreSQL outside a
    transaction (the Open API's payment) it is one message to the server and a transaction
    of its own, committed when it returns (``ledger_post``); inside a caller's transaction a
    savepoint keeps that transaction usable after a refusal.
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
        "provider_id": provider_id,
        "provider_ref": "",
        "upstream_ref": upstream_ref,
        "buy_price": buy_price,
        "sell_price": total,
        "checks": 0,
        "escalated_at": None,
    }
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _insert_debited(actor=actor, guard=guard, **fields)
    with atomic():
        return _insert_debited(actor=actor, guard=guard, **fields)


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
    provider_ref: str = "",
) -> Transaction:
    """Store the biller's answer for a pending transaction (with the provider's own
    reference, when it gave one).

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
        if provider_ref:
            fields["provider_ref"] = provider_ref[:64]
        if status != Transaction.Status.PENDING:
            fields.update(status=status, completed_at=now)
        names = tuple(fields)
        # Committed without waiting for the disk: a database crash may lose it, and the
        # transaction is then pending again, for pending_check_all to ask the provider
        # about; it moves no money. (A failure, which gives money back, is durable.)
        updated = write_relaxed(
            _complete_sql(names),
            [
                *db_values(Transaction, names, fields),
                transaction.pk,
                Transaction.Status.PENDING,
            ],
        )
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
        if provider_ref:
            locked.provider_ref = provider_ref[:64]
        locked.status = status
        locked.completed_at = timezone.now()
        locked.save(
            update_fields=[
                "provider_ref",
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


def transaction_provider_set(
    *, transaction: Transaction, provider_id: int, buy_price: int
) -> None:
    """Name the provider a pending payment goes to next (failover), before it is sent, so
    that a status check always asks the provider that may hold it."""
    Transaction.objects.filter(
        pk=transaction.pk, status=Transaction.Status.PENDING
    ).update(provider_id=provider_id, buy_price=buy_price, updated_at=timezone.now())
    transaction.provider_id = provider_id
    transaction.buy_price = buy_price
