"""Pending transactions: asking the biller for the final result, recording it (a failure
gives the money back) and telling the partner by callback."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billers.adapters.base import BillerAnswer, CallbackRejected
from billers.services import call_reference, callback_read, status_asked
from billing.models import Transaction
from billing.services import transaction_complete
from connections.services import callback_enqueue
from openapi import rc
from portal.lib.audit import audit_record
from portal.lib.tasks import task_enqueue
from products.selectors import product_by_code

logger = logging.getLogger(__name__)

# Pending transactions older than this are no longer asked about automatically (staff
# settle them in the back-office).
RESOLVE_WINDOW = timedelta(hours=72)
FINAL_KEYS = ("sn", "token", "kwh", "kodeVoucher", "noReferensi")


def schedule_resolution(transaction_id: int) -> None:
    """Ask for the final result a short while after the first (pending) answer (the task
    is named: ``openapi.tasks`` imports these services)."""
    delay = getattr(settings, "PENDING_RESOLVE_SECONDS", 5)
    # With the broker down the transaction stays pending; pending_check_all asks later.
    task_enqueue("openapi.tasks.pending_resolve", transaction_id, countdown=delay)


def _final_answer(txn: Transaction) -> BillerAnswer:
    """The status of ``txn`` at the provider that may hold it (rc 71 when it cannot say)."""
    return status_asked(
        environment=txn.environment,
        product=product_by_code(txn.product_code),
        provider_id=txn.provider_id,
        customer_id=txn.customer_number,
        reference=txn.upstream_ref
        or call_reference(
            partner_id=txn.partner_id,
            environment=txn.environment,
            reference_id=txn.reference_id,
        ),
        provider_ref=txn.provider_ref,
    )


def _staff_deadline() -> timedelta:
    return timedelta(hours=getattr(settings, "PENDING_STAFF_DEADLINE_HOURS", 24))


def _still_pending(txn: Transaction) -> Transaction:
    """Count the ask; past the staff deadline the transaction waits in the back-office
    queue (``escalated_at``), where staff settle it by hand."""
    now = timezone.now()
    updates: dict[str, object] = {"checks": min(txn.checks + 1, 32767)}
    if txn.escalated_at is None and txn.created_at <= now - _staff_deadline():
        updates["escalated_at"] = now
    Transaction.objects.filter(pk=txn.pk, status=Transaction.Status.PENDING).update(
        **updates
    )
    for name, value in updates.items():
        setattr(txn, name, value)
    return txn


def pending_resolve_now(*, transaction_id: int) -> Transaction | None:
    """Ask the biller for the final result of a pending transaction and record it.

    A success keeps the money; a failure (rc 17) returns it through a reversing ledger entry;
    anything else leaves it pending. The partner's callback is queued in the same database
    transaction as the final state, exactly once even when two resolutions race.
    """
    txn = Transaction.objects.filter(pk=transaction_id).first()
    if txn is None or txn.status != Transaction.Status.PENDING:
        return txn
    answer = _final_answer(txn)
    return pending_record(transaction_id=transaction_id, answer=answer)


def pending_record(*, transaction_id: int, answer: BillerAnswer) -> Transaction | None:
    """Record a provider's status answer (from our status check or from its callback) for
    a pending transaction: exactly one of them makes it final, under the row lock."""
    outcome = rc.classify_status(answer.rc)
    if outcome == rc.Outcome.PENDING:
        txn = Transaction.objects.filter(pk=transaction_id).first()
        if txn is None or txn.status != Transaction.Status.PENDING:
            return txn
        return _still_pending(txn)
    with transaction.atomic():
        txn = Transaction.objects.select_for_update().get(pk=transaction_id)
        if txn.status != Transaction.Status.PENDING:
            return txn
        return _final_make(
            txn,
            success=outcome == rc.Outcome.SUCCESS,
            data=answer.data,
            provider_ref=answer.provider_ref,
        )


def _final_make(
    txn: Transaction,
    *,
    success: bool,
    data: dict,
    provider_ref: str = "",
    actor=None,
) -> Transaction:
    """The one place a pending transaction becomes final: its answer (with the receipt
    keys of ``data``), a reversal on failure, and the partner's callback. The caller holds
    the row lock and has seen it pending."""
    final_rc = "00" if success else "17"
    previous = txn.response or {}
    response = {
        **previous,
        "rc": final_rc,
        "description": rc.describe(final_rc),
        "data": {
            **(previous.get("data") or {}),
            **{k: v for k, v in data.items() if k in FINAL_KEYS},
            "status": "SUKSES" if success else "GAGAL",
        },
    }
    txn = transaction_complete(
        transaction=txn,
        status=Transaction.Status.SUKSES if success else Transaction.Status.GAGAL,
        rc=final_rc,
        description=response["description"],
        response=response,
        provider_ref=provider_ref,
        actor=actor,
    )
    _callback(txn, response)
    return txn


class SettleRefused(Exception):
    """A staff resolution that cannot be made (with a message for the staff member)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def pending_settle_by_staff(
    *,
    transaction_id: int,
    success: bool,
    reason: str,
    actor,
    sn: str = "",
    ip: str | None = None,
) -> Transaction:
    """Staff make a suspect transaction final by hand (it waits in the back-office queue:
    pending past the staff deadline): Sukses with the SN, or Gagal (the money goes back).
    Under the row lock, so that it runs once: a second attempt, or a provider answer that
    came first, finds it final and changes nothing (``SettleRefused``). Audited."""
    reason = (reason or "").strip()
    sn = (sn or "").strip()
    if not reason:
        raise SettleRefused(_("Alasan wajib diisi."))
    if success and not sn:
        raise SettleRefused(_("SN wajib diisi untuk menyatakan transaksi sukses."))
    with transaction.atomic():
        txn = (
            Transaction.objects.select_for_update()
            .select_related("partner")
            .filter(pk=transaction_id)
            .first()
        )
        if txn is None:
            raise SettleRefused(_("Transaksi tidak ditemukan."))
        if txn.status != Transaction.Status.PENDING:
            raise SettleRefused(
                _("Transaksi %(ref)s sudah final (%(status)s); tidak diubah.")
                % {"ref": txn.reference_id, "status": txn.get_status_display()}
            )
        if txn.escalated_at is None:
            raise SettleRefused(
                _(
                    "Transaksi %(ref)s belum melewati batas waktu staf; statusnya masih "
                    "ditanyakan ke penyedia."
                )
                % {"ref": txn.reference_id}
            )
        before = {"status": txn.status, "rc": txn.rc}
        txn = _final_make(
            txn, success=success, data={"sn": sn} if success else {}, actor=actor
        )
        audit_record(
            action="transaction.settled_by_staff",
            actor=actor,
            partner=txn.partner,
            subject=txn,
            before=before,
            after={
                "status": txn.status,
                "rc": txn.rc,
                "sn": sn,
                "reason": reason,
            },
            ip=ip,
        )
    return txn


def pending_callback(*, provider_code: str, headers, body: bytes) -> bool:
    """A provider's callback about one of our payments: recorded like our own status check
    (whichever comes first makes it final; the other finds it final). False when it is not
    genuine; True otherwise, also for a transaction that is already final or unknown."""
    try:
        provider, event = callback_read(
            provider_code=provider_code, headers=headers, body=body
        )
    except CallbackRejected as exc:
        logger.warning("provider callback %s refused: %s", provider_code, exc)
        return False
    txn = (
        Transaction.objects.filter(
            status=Transaction.Status.PENDING,
            upstream_ref=event.reference,
            provider_id=provider.pk,
        )
        .only("pk")
        .first()
    )
    if txn is not None:
        pending_record(transaction_id=txn.pk, answer=event.answer)
    return True


def _callback(txn: Transaction, response: dict) -> None:
    callback_enqueue(
        partner=txn.partner,
        environment=txn.environment,
        payload={
            "merchantID": response.get("merchantID", ""),
            "productID": txn.product_code,
            "customerID": txn.customer_number,
            "referenceID": txn.reference_id,
            "rc": response["rc"],
            "description": response["description"],
            "data": response.get("data", {}),
        },
        reference_id=txn.reference_id,
        transaction_id=txn.pk,
    )


def pending_sweep(*, now=None) -> int:
    """Resolve pending transactions whose scheduled check was lost (a worker restart); run
    periodically. Returns how many became final."""
    now = now or timezone.now()
    age = timedelta(seconds=getattr(settings, "PENDING_RESOLVE_SECONDS", 5) * 12)
    ids = (
        Transaction.objects.filter(
            status=Transaction.Status.PENDING,
            created_at__lte=now - age,
            created_at__gte=now - RESOLVE_WINDOW,
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[:500]
    )
    resolved = 0
    for pk in list(ids):
        txn = pending_resolve_now(transaction_id=pk)
        if txn is not None and txn.status != Transaction.Status.PENDING:
            resolved += 1
    return resolved
