"""Recording the Open API's transactions, with their deposit movements.

The intended flow of a Payment / SinglePayment:

1. ``transaction_create_paid(...)`` records the transaction as *pending* and debits the deposit
   in one atomic step (``InsufficientDeposit`` → rc 12 with nothing recorded;
   ``DuplicateReference`` → rc 86), before the biller is asked;
2. ``transaction_complete(...)`` stores the biller's answer: *sukses*, *gagal* (the debit is
   reversed, once) or still *pending*; a final transaction is never changed again.

``transaction_record(...)`` keeps a transaction that moved no money (e.g. refused at once).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.db.transaction import atomic
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from billing.models import Transaction
from billing.services.deposit import deposit_debit, deposit_reverse
from billing.services.errors import BillingError, DuplicateReference


def _insert(**fields) -> Transaction:
    for name in ("tagihan", "admin", "total"):
        if fields[name] < 0:
            raise BillingError(
                _("Jumlah %(field)s tidak boleh negatif.") % {"field": name}
            )
    try:
        with atomic():
            return Transaction.objects.create(**fields)
    except IntegrityError as exc:
        if Transaction.objects.filter(
            partner=fields["partner"],
            environment=fields["environment"],
            reference_id=fields["reference_id"],
        ).exists():
            raise DuplicateReference(
                _("referenceID %(ref)s sudah pernah digunakan.")
                % {"ref": fields["reference_id"]}
            ) from exc
        raise


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
) -> Transaction:
    """Record a transaction and debit ``total`` from the deposit, all or nothing.

    Raises ``InsufficientDeposit`` or ``DuplicateReference`` (both ``BillingError``) and then
    nothing is written.
    """
    if total <= 0:
        raise BillingError(_("Total transaksi harus lebih dari 0."))
    with atomic():
        transaction = _insert(
            partner=partner,
            environment=environment,
            service=service,
            product_code=product_code,
            product_name=product_name,
            category=category,
            customer_number=customer_number,
            reference_id=reference_id,
            tagihan=tagihan,
            admin=admin,
            total=total,
            status=status,
            rc=rc,
            description=description,
            request=request,
            response=response,
            product=product,
            completed_at=None
            if status == Transaction.Status.PENDING
            else timezone.now(),
        )
        deposit_debit(
            partner=partner,
            environment=environment,
            amount=total,
            transaction=transaction,
            actor=actor,
        )
    return transaction


def transaction_record(
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
    status: str = Transaction.Status.GAGAL,
    service: str = "",
    rc: str = "",
    description: str = "",
    response: dict[str, Any] | None = None,
    product=None,
) -> Transaction:
    """Record a transaction that moves no money (for the partner's report)."""
    return _insert(
        partner=partner,
        environment=environment,
        service=service,
        product_code=product_code,
        product_name=product_name,
        category=category,
        customer_number=customer_number,
        reference_id=reference_id,
        tagihan=tagihan,
        admin=admin,
        total=total,
        status=status,
        rc=rc,
        description=description,
        request=request,
        response=response,
        product=product,
        completed_at=None if status == Transaction.Status.PENDING else timezone.now(),
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
    with atomic():
        # NO KEY UPDATE: a ledger insert that references this row (a concurrent
        # ``deposit_reverse`` holding the account lock) only needs KEY SHARE, so it never
        # waits for us while we wait for the account: no deadlock.
        locked = Transaction.objects.select_for_update(no_key=True).get(
            pk=transaction.pk
        )
        if locked.is_final:
            return locked
        fields = ["rc", "description", "updated_at"]
        locked.rc = rc
        locked.description = description[:255]
        if response is not None:
            locked.response = response
            fields.append("response")
        if status != Transaction.Status.PENDING:
            locked.status = status
            locked.completed_at = timezone.now()
            fields += ["status", "completed_at"]
        locked.save(update_fields=fields)
        if status == Transaction.Status.GAGAL:
            deposit_reverse(transaction=locked, actor=actor)
    return locked
