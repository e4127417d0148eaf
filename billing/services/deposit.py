"""Deposit writes: a transaction's debit and its reversal, top-up credits, play money and
staff adjustments. Each posts through ``billing.services.ledger.ledger_post``.

Callers that lock other rows lock them first and the account last (a top-up or transaction
row, then the account), so that no two writers can wait for each other in a circle.
"""

from __future__ import annotations

from django.db.transaction import atomic
from django.utils.translation import gettext as _

from accounts.models import Partner
from billing.formatting import format_rupiah
from billing.models import (
    DepositAccount,
    DepositAdjustment,
    LedgerEntry,
    TopUp,
    Transaction,
)
from billing.services.errors import BillingError
from billing.services.ledger import insufficient_for, ledger_post
from portal.lib.audit import audit_record
from portal.lib.environments import Environment
from portal.lib.review import ReviewError, review_handlers_register

SANDBOX_BALANCE_CAP = 10_000_000
SANDBOX_TOPUP_AMOUNT = 5_000_000


def _account_lock(*, partner_id: int, environment: str) -> DepositAccount:
    """The partner's account in ``environment`` (created at 0 if missing), locked until the
    transaction ends: for writes that must read the balance or the entries before posting."""
    _account_ensure(partner_id=partner_id, environment=environment)
    return DepositAccount.objects.select_for_update().get(
        partner_id=partner_id, environment=environment
    )


def _account_ensure(*, partner_id: int, environment: str) -> None:
    """Credits may land on an account that does not exist yet: it starts at 0."""
    DepositAccount.objects.get_or_create(partner_id=partner_id, environment=environment)


def debit_description(
    *, product_code: str, customer_number: str, reference_id: str
) -> str:
    """The ledger text of a transaction's debit."""
    return (
        _("Transaksi %(product)s %(customer)s ref %(ref)s")
        % {"product": product_code, "customer": customer_number, "ref": reference_id}
    )[:255]


def _posted(entry: LedgerEntry | None, **refused) -> LedgerEntry:
    """The entry ``ledger_post`` wrote, or the refusal naming the balance as it is now."""
    if entry is None:
        raise insufficient_for(**refused)
    return entry


def deposit_debit(
    *,
    partner: Partner,
    environment: str,
    amount: int,
    transaction: Transaction,
    actor=None,
) -> LedgerEntry:
    """Take ``amount`` for ``transaction`` from the partner's deposit in ``environment``.

    Raises ``InsufficientDeposit`` (nothing written) when the balance is short. A transaction
    is debited at most once: calling again returns the existing entry. The account row is
    locked only from the ledger post to the commit.
    """
    if amount <= 0:
        raise BillingError(_("Jumlah debit harus lebih dari 0."))
    if transaction.partner_id != partner.pk or transaction.environment != environment:
        raise BillingError(_("Transaksi bukan milik akun deposit ini."))
    with atomic(savepoint=False):
        existing = LedgerEntry.objects.filter(
            transaction=transaction, kind=LedgerEntry.Kind.DEBIT
        ).first()
        if existing is not None:
            return existing
        entry = ledger_post(
            partner_id=partner.pk,
            environment=environment,
            amount=-amount,
            kind=LedgerEntry.Kind.DEBIT,
            description=debit_description(
                product_code=transaction.product_code,
                customer_number=transaction.customer_number,
                reference_id=transaction.reference_id,
            ),
            actor=actor,
            transaction_id=transaction.pk,
        )
        if entry is not None:
            return entry
    # Raised outside the block: nothing was written, and the caller's transaction stays usable.
    raise insufficient_for(
        partner_id=partner.pk, environment=environment, amount=amount
    )


def deposit_reverse(*, transaction: Transaction, actor=None) -> LedgerEntry | None:
    """Give back the debit of ``transaction``, exactly once.

    Returns the new reversal entry, or None when there is nothing to do: the transaction was
    never debited, or it has already been reversed (by an earlier or a concurrent call; the
    account lock orders them and a unique index backs it up).
    """
    with atomic():
        # The lock orders concurrent reversals of the account: the second sees the first's.
        account = (
            DepositAccount.objects.select_for_update()
            .filter(
                partner_id=transaction.partner_id,
                environment=transaction.environment,
            )
            .first()
        )
        if account is None:
            return None
        entries = {
            entry.kind: entry
            for entry in LedgerEntry.objects.filter(
                transaction=transaction,
                kind__in=[LedgerEntry.Kind.DEBIT, LedgerEntry.Kind.REVERSAL],
            )
        }
        debit = entries.get(LedgerEntry.Kind.DEBIT)
        if debit is None or LedgerEntry.Kind.REVERSAL in entries:
            return None
        return _posted(
            ledger_post(
                partner_id=account.partner_id,
                environment=account.environment,
                amount=-debit.amount,
                kind=LedgerEntry.Kind.REVERSAL,
                description=_("Pengembalian transaksi ref %(ref)s")
                % {"ref": transaction.reference_id},
                actor=actor,
                transaction_id=transaction.pk,
            ),
            partner_id=account.partner_id,
            environment=account.environment,
            amount=debit.amount,
        )


def topup_credit(*, topup: TopUp, actor) -> LedgerEntry:
    """Credit a confirmed top-up to the Production deposit; runs inside ``review_decide``
    (the top-up row is already locked, which makes the "once" check safe), at most once per
    top-up."""
    with atomic():
        if LedgerEntry.objects.filter(topup=topup).exists():
            raise BillingError(_("Top up ini sudah dikreditkan."))
        _account_ensure(partner_id=topup.partner_id, environment=Environment.PRODUCTION)
        return _posted(
            ledger_post(
                partner_id=topup.partner_id,
                environment=Environment.PRODUCTION,
                amount=topup.transfer_amount,
                kind=LedgerEntry.Kind.TOPUP,
                description=_("Top up #%(id)s via %(bank)s")
                % {"id": topup.pk, "bank": topup.bank_account.bank},
                actor=actor,
                topup_id=topup.pk,
            ),
            partner_id=topup.partner_id,
            environment=Environment.PRODUCTION,
            amount=-topup.transfer_amount,
        )


def deposit_sandbox_fund(
    *, partner: Partner, actor, amount: int = SANDBOX_TOPUP_AMOUNT, ip=None
) -> LedgerEntry:
    """Add play money to the Development deposit, up to ``SANDBOX_BALANCE_CAP``."""
    if partner.status != Partner.Status.ACTIVE:
        raise BillingError(
            _("Akun Anda belum aktif. Saldo sandbox tersedia setelah profil disetujui.")
        )
    if amount <= 0:
        raise BillingError(_("Jumlah harus lebih dari 0."))
    with atomic():
        # Locked first: the room under the cap is read from the balance it moves.
        account = _account_lock(
            partner_id=partner.pk, environment=Environment.DEVELOPMENT
        )
        room = SANDBOX_BALANCE_CAP - account.balance
        if room <= 0:
            raise BillingError(
                _("Saldo sandbox sudah mencapai batas %(cap)s.")
                % {"cap": format_rupiah(SANDBOX_BALANCE_CAP)}
            )
        credit = min(amount, room)
        entry = _posted(
            ledger_post(
                partner_id=partner.pk,
                environment=Environment.DEVELOPMENT,
                amount=credit,
                kind=LedgerEntry.Kind.TOPUP,
                description=_("Saldo sandbox (Development)"),
                actor=actor,
            ),
            partner_id=partner.pk,
            environment=Environment.DEVELOPMENT,
            amount=-credit,
        )
        audit_record(
            action="deposit.sandbox_funded",
            actor=actor,
            partner=partner,
            subject=entry,
            after={"amount": entry.amount, "balance": entry.balance_after},
            ip=ip,
        )
        return entry


def adjustment_create(
    *,
    partner: Partner,
    environment: str,
    amount: int,
    reason: str,
    actor,
    ip=None,
) -> DepositAdjustment:
    """Staff propose a correction; nothing moves until another staff member approves it."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Alasan penyesuaian wajib diisi."))
    if not amount:
        raise BillingError(_("Jumlah penyesuaian tidak boleh 0."))
    if actor is None or not actor.is_staff:
        raise BillingError(_("Hanya staff yang dapat membuat penyesuaian."))
    with atomic():
        adjustment = DepositAdjustment.objects.create(
            partner=partner,
            environment=environment,
            amount=amount,
            reason=reason,
            created_by=actor,
        )
        audit_record(
            action="deposit_adjustment.created",
            actor=actor,
            partner=partner,
            subject=adjustment,
            after={"environment": environment, "amount": amount, "reason": reason},
            ip=ip,
        )
    return adjustment


def adjustment_post(*, adjustment: DepositAdjustment, actor) -> LedgerEntry:
    """Write an approved adjustment to the ledger; runs inside ``review_decide``.

    Four-eyes: the staff member who created the adjustment may not approve it.
    """
    if actor is None or actor.pk == adjustment.created_by_id:
        raise BillingError(
            _("Penyesuaian harus disetujui oleh staff lain, bukan pembuatnya.")
        )
    with atomic():
        _account_ensure(
            partner_id=adjustment.partner_id, environment=adjustment.environment
        )
        return _posted(
            ledger_post(
                partner_id=adjustment.partner_id,
                environment=adjustment.environment,
                amount=adjustment.amount,
                kind=LedgerEntry.Kind.ADJUSTMENT,
                description=_("Penyesuaian: %(reason)s")
                % {"reason": adjustment.reason},
                actor=actor,
                adjustment_id=adjustment.pk,
            ),
            partner_id=adjustment.partner_id,
            environment=adjustment.environment,
            amount=-adjustment.amount,
        )


def _adjustment_approved(*, subject: DepositAdjustment, actor) -> None:
    # The admin shows a ReviewError as a warning; the decision is rolled back.
    try:
        adjustment_post(adjustment=subject, actor=actor)
    except BillingError as exc:
        raise ReviewError(exc.message) from exc


def _topup_approved(*, subject: TopUp, actor) -> None:
    try:
        topup_credit(topup=subject, actor=actor)
    except BillingError as exc:
        raise ReviewError(exc.message) from exc


review_handlers_register(DepositAdjustment, on_approved=_adjustment_approved)
review_handlers_register(TopUp, on_approved=_topup_approved)
