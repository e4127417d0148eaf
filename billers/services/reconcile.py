"""The daily reconciliation: for one provider, one day (Asia/Jakarta) and one environment,
each of our transactions that went to that provider is checked against the provider's own
status, and every disagreement is listed for staff.

What the provider says (a status answer, as the adapters map it: ``billers.adapters.base``):
00 success, 17 failed, 19 it does not know the transaction ("Data tidak ditemukan"),
anything else (71, or no answer at all) still pending. Compared with ours:

============  ==========  ==========  ==========  ==========
ours \\ theirs success     failed      pending     unknown
============  ==========  ==========  ==========  ==========
sukses        —           kami sukses pending     tidak dikenal
                          penyedia
                          gagal
gagal         kami gagal  —           pending     — (never taken)
              penyedia
              sukses
pending       pending     pending     pending     pending
============  ==========  ==========  ==========  ==========

A failed transaction unknown to the provider agrees: it never took it (refused, or every
provider down), and the money went back. Nothing here changes a transaction: staff decide.
No database transaction is open while a provider is asked.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billers.models import Provider, Reconciliation, ReconciliationMismatch
from billers.services.routing import call_reference, status_asked
from billing.models import Transaction
from portal.lib.audit import audit_record

logger = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
RC_SUCCESS = "00"
RC_FAILED = "17"
RC_NOT_FOUND = "19"

Kind = ReconciliationMismatch.Kind
Theirs = ReconciliationMismatch.Theirs
Status = Transaction.Status


def theirs_of(rc: str) -> str:
    """The provider's status answer as one of ``ReconciliationMismatch.Theirs``."""
    if rc == RC_SUCCESS:
        return Theirs.SUKSES
    if rc == RC_FAILED:
        return Theirs.GAGAL
    if rc == RC_NOT_FOUND:
        return Theirs.UNKNOWN
    return Theirs.PENDING


def mismatch_kind(ours: str, theirs: str) -> str | None:
    """The kind of disagreement between our status and theirs; None when they agree."""
    if ours == Status.PENDING or theirs == Theirs.PENDING:
        return Kind.PENDING
    if ours == Status.SUKSES:
        if theirs == Theirs.GAGAL:
            return Kind.SUCCESS_FAILED
        if theirs == Theirs.UNKNOWN:
            return Kind.UNKNOWN
        return None
    if theirs == Theirs.SUKSES:
        return Kind.FAILED_SUCCESS
    return None


_NOTES: dict[str, str] = {
    Kind.SUCCESS_FAILED: "Kami mencatat sukses (deposit terpotong), penyedia gagal.",
    Kind.FAILED_SUCCESS: "Kami mencatat gagal (deposit dikembalikan), penyedia sukses.",
    Kind.UNKNOWN: "Kami mencatat sukses, penyedia tidak mengenal transaksinya.",
}


def _note(kind: str, ours: str, theirs: str) -> str:
    if kind != Kind.PENDING:
        return _NOTES[kind]
    if ours == Status.PENDING:
        return "Transaksi kami masih pending."
    return "Penyedia belum memberi status final (atau tidak menjawab)."


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def reconcile_transactions(*, provider_id: int, day: date, environment: str):
    """Our transactions of ``day`` in ``environment`` that went to the provider."""
    start, end = _day_range(day)
    return (
        Transaction.objects.filter(
            provider_id=provider_id,
            environment=environment,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("product__category")
        .only(
            "id",
            "partner_id",
            "environment",
            "reference_id",
            "customer_number",
            "status",
            "upstream_ref",
            "provider_ref",
            "product",
            "created_at",
        )
        .order_by("created_at", "id")
    )


def reconcile_run(
    *, provider_id: int, day: date, environment: str, actor=None
) -> Reconciliation:
    """Check every transaction of the day against the provider; record the run, its
    counts and its mismatches (and an audit event) once all were asked."""
    provider = Provider.objects.get(pk=provider_id)
    run = Reconciliation.objects.create(
        provider=provider,
        day=day,
        environment=environment,
        requested_by=actor if actor is not None and actor.pk else None,
    )
    mismatches = []
    checked = 0
    rows = reconcile_transactions(
        provider_id=provider.pk, day=day, environment=environment
    )
    for txn in rows.iterator(chunk_size=500):
        checked += 1
        answer = status_asked(
            environment=environment,
            product=txn.product,
            provider_id=provider.pk,
            customer_id=txn.customer_number,
            reference=txn.upstream_ref
            or call_reference(
                partner_id=txn.partner_id,
                environment=txn.environment,
                reference_id=txn.reference_id,
            ),
            provider_ref=txn.provider_ref,
        )
        theirs = theirs_of(answer.rc)
        kind = mismatch_kind(txn.status, theirs)
        if kind is None:
            continue
        mismatches.append(
            ReconciliationMismatch(
                reconciliation=run,
                transaction_id=txn.pk,
                kind=kind,
                ours=txn.status,
                theirs=theirs,
                theirs_rc=answer.rc[:4],
                note=_note(kind, txn.status, theirs),
            )
        )
    with transaction.atomic():
        ReconciliationMismatch.objects.bulk_create(mismatches, batch_size=500)
        run.checked = checked
        run.mismatched = len(mismatches)
        run.matched = checked - len(mismatches)
        run.finished_at = timezone.now()
        run.save(update_fields=["checked", "matched", "mismatched", "finished_at"])
        audit_record(
            action="reconciliation.finished",
            actor=actor,
            subject=run,
            after={
                "provider": provider.code,
                "day": day.isoformat(),
                "environment": environment,
                "checked": checked,
                "mismatched": len(mismatches),
            },
        )
    logger.info(
        "reconciliation %s %s %s: %d checked, %d mismatched",
        provider.code,
        day,
        environment,
        checked,
        len(mismatches),
    )
    return run


def reconcile_due(*, day: date) -> list[tuple[int, str]]:
    """(provider id, environment) of every enabled provider that has transactions of
    ``day`` in that environment: what the daily task reconciles."""
    start, end = _day_range(day)
    pairs = (
        Transaction.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            provider__enabled=True,
        )
        .values_list("provider_id", "environment")
        .distinct()
        .order_by("provider_id", "environment")
    )
    return [(provider_id, environment) for provider_id, environment in pairs]
