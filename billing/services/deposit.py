"""Every change of a deposit balance goes through here.

Each write locks the account row (``select_for_update``), appends one ledger entry and updates
the balance, in one database transaction. Callers that lock other rows lock them first and the
account last (a top-up or transaction row, then the account), so that no two writers can wait
for each other in a circle.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.db.transaction import atomic
from django.utils import timezone
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
from billing.services.errors import BillingError, InsufficientDeposit
from portal.lib.audit import audit_record
from portal.lib.environments import Environment
from portal.lib.sql import execute, insert_row

SANDBOX_BALANCE_CAP = 10_000_000
SANDBOX_TOPUP_AMOUNT = 5_000_000


def _account_locked(
    *, partner_id: int, environment: str, create: bool
) -> DepositAccount | None:
    """The partner's account in ``environment``, locked until the transaction ends."""
    if create:
        DepositAccount.objects.get_or_create(
            partner_id=partner_id, environment=environment
        )
    return (
        DepositAccount.objects.select_for_update()
        .filter(partner_id=partner_id, environment=environment)
        .first()
    )


def _clock():
    """The time of an entry, read while the account is locked, from the database's clock (the
    same clock as the debit hot path), so entries sort the same by time as by balance."""
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def debit_description(
    *, product_code: str, customer_number: str, reference_id: str
) -> str:
    """The ledger text of a transaction's debit."""
    return (
        _("Transaksi %(product)s %(customer)s ref %(ref)s")
        % {"product": product_code, "customer": customer_number, "ref": reference_id}
    )[:255]


def insufficient_for(
    *, partner_id: int, environment: str, amount: int
) -> InsufficientDeposit:
    """The refusal of a debit of ``amount``, naming the balance as it is now."""
    balance = (
        DepositAccount.objects.filter(partner_id=partner_id, environment=environment)
        .values_list("balance", flat=True)
        .first()
    )
    return _insufficient(balance=balance or 0, amount=amount)


def _insufficient(*, balance: int, amount: int) -> InsufficientDeposit:
    return InsufficientDeposit(
        _("Saldo deposit tidak mencukupi (saldo %(balance)s, dibutuhkan %(amount)s).")
        % {"balance": format_rupiah(balance), "amount": format_rupiah(amount)},
        balance=balance,
        amount=amount,
    )


def _post(
    *,
    account: DepositAccount,
    amount: int,
    kind: str,
    description: str,
    actor=None,
    transaction: Transaction | None = None,
    topup: TopUp | None = None,
    adjustment: DepositAdjustment | None = None,
) -> LedgerEntry:
    """Append an entry to a locked account and move its balance; never below zero."""
    new_balance = account.balance + amount
    if new_balance < 0:
        raise _insufficient(balance=account.balance, amount=-amount)
    now = _clock()
    entry = LedgerEntry.objects.create(
        account=account,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        description=description[:255],
        transaction=transaction,
        topup=topup,
        adjustment=adjustment,
        created_by=actor if actor is not None and actor.pk else None,
        created_at=now,
    )
    DepositAccount.objects.filter(pk=account.pk).update(
        balance=new_balance, updated_at=now
    )
    account.balance = new_balance
    return entry


def _debit_account(
    *, partner_id: int, environment: str, amount: int
) -> tuple[int, int, datetime] | None:
    """Take ``amount`` from the account in one conditional statement; (account id, balance
    after, time) or None when the account is missing or short. The row lock it takes is held
    until the surrounding transaction ends, so this is the last step before the ledger insert.

    The time is read once the lock is held (``clock_timestamp()``, not the transaction's start
    nor Python's clock before the wait), so that entries of one account are in the same order
    by time as by balance."""
    table = DepositAccount._meta.db_table
    if connection.vendor == "postgresql":
        stamp, params = "clock_timestamp()", [amount]
    else:
        stamp, params = "%s", [amount, timezone.now()]
    with connection.cursor() as cursor:
        execute(
            cursor,
            f"UPDATE {table} SET balance = balance - %s, updated_at = {stamp} "  # noqa: S608
            "WHERE partner_id = %s AND environment = %s AND balance >= %s "
            "RETURNING id, balance, updated_at",
            [*params, partner_id, environment, amount],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    account_id, balance, updated_at = row
    if isinstance(updated_at, str):  # SQLite hands back text
        updated_at = datetime.fromisoformat(updated_at)
    if timezone.is_naive(updated_at):
        updated_at = timezone.make_aware(updated_at, UTC)
    return account_id, balance, updated_at


def deposit_debit(
    *,
    partner: Partner,
    environment: str,
    amount: int,
    transaction: Transaction,
    actor=None,
    fresh: bool = False,
) -> LedgerEntry:
    """Take ``amount`` for ``transaction`` from the partner's deposit in ``environment``.

    Raises ``InsufficientDeposit`` (nothing written) when the balance is short. A transaction
    is debited at most once: calling again returns the existing entry (``fresh=True`` says the
    transaction was created in this database transaction, so there is nothing to look for).
    The balance moves by a conditional UPDATE, so the account row is locked only for the
    UPDATE, the ledger insert and the commit: the hot path of every payment.
    """
    if amount <= 0:
        raise BillingError(_("Jumlah debit harus lebih dari 0."))
    if transaction.partner_id != partner.pk or transaction.environment != environment:
        raise BillingError(_("Transaksi bukan milik akun deposit ini."))
    with atomic(savepoint=False):
        if not fresh:
            existing = LedgerEntry.objects.filter(
                transaction=transaction, kind=LedgerEntry.Kind.DEBIT
            ).first()
            if existing is not None:
                return existing
        debited = _debit_account(
            partner_id=partner.pk, environment=environment, amount=amount
        )
        if debited is not None:
            account_id, balance_after, now = debited
            return insert_row(
                LedgerEntry,
                {
                    "account_id": account_id,
                    "kind": LedgerEntry.Kind.DEBIT,
                    "amount": -amount,
                    "balance_after": balance_after,
                    "description": debit_description(
                        product_code=transaction.product_code,
                        customer_number=transaction.customer_number,
                        reference_id=transaction.reference_id,
                    ),
                    "transaction_id": transaction.pk,
                    "topup_id": None,
                    "adjustment_id": None,
                    "created_by_id": actor.pk
                    if actor is not None and actor.pk
                    else None,
                    "created_at": now,
                },
            )
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
        account = _account_locked(
            partner_id=transaction.partner_id,
            environment=transaction.environment,
            create=False,
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
        return _post(
            account=account,
            amount=-debit.amount,
            kind=LedgerEntry.Kind.REVERSAL,
            description=_("Pengembalian transaksi ref %(ref)s")
            % {"ref": transaction.reference_id},
            actor=actor,
            transaction=transaction,
        )


def topup_credit(*, topup: TopUp, actor) -> LedgerEntry:
    """Credit a confirmed top-up to the Production deposit; runs inside ``review_decide``
    (the top-up row is already locked), and at most once per top-up."""
    with atomic():
        account = _account_locked(
            partner_id=topup.partner_id,
            environment=Environment.PRODUCTION,
            create=True,
        )
        if LedgerEntry.objects.filter(topup=topup).exists():
            raise BillingError(_("Top up ini sudah dikreditkan."))
        return _post(
            account=account,
            amount=topup.transfer_amount,
            kind=LedgerEntry.Kind.TOPUP,
            description=_("Top up #%(id)s via %(bank)s")
            % {"id": topup.pk, "bank": topup.bank_account.bank},
            actor=actor,
            topup=topup,
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
        account = _account_locked(
            partner_id=partner.pk,
            environment=Environment.DEVELOPMENT,
            create=True,
        )
        room = SANDBOX_BALANCE_CAP - account.balance
        if room <= 0:
            raise BillingError(
                _("Saldo sandbox sudah mencapai batas %(cap)s.")
                % {"cap": format_rupiah(SANDBOX_BALANCE_CAP)}
            )
        entry = _post(
            account=account,
            amount=min(amount, room),
            kind=LedgerEntry.Kind.TOPUP,
            description=_("Saldo sandbox (Development)"),
            actor=actor,
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
        account = _account_locked(
            partner_id=adjustment.partner_id,
            environment=adjustment.environment,
            create=True,
        )
        return _post(
            account=account,
            amount=adjustment.amount,
            kind=LedgerEntry.Kind.ADJUSTMENT,
            description=_("Penyesuaian: %(reason)s") % {"reason": adjustment.reason},
            actor=actor,
            adjustment=adjustment,
        )
