"""Top-up requests: create with a unique transfer amount, upload the proof, expire.

Staff confirm or reject through ``portal.lib.review.review_decide`` (the admin's actions);
the approval credits the deposit through ``topup_credit`` (its review handler).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.db.models import Q
from django.db.transaction import atomic, on_commit
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from billing.formatting import format_rupiah
from billing.models import BankAccount, TopUp
from billing.models.topup import TOPUP_MAX_AMOUNT, TOPUP_MIN_AMOUNT, UNIQUE_CODE_MAX
from billing.services.errors import BillingError
from portal.lib.audit import audit_record
from portal.lib.email import email_queue
from portal.lib.review import ReviewStatus

TOPUP_VALID_FOR = timedelta(hours=24)
MAX_OPEN_TOPUPS = 3
_CODE_ATTEMPTS = 5


def _open_amounts_taken(amount: int) -> set[int]:
    return set(
        TopUp.objects.filter(
            review_status=ReviewStatus.PENDING,
            transfer_amount__gt=amount,
            transfer_amount__lte=amount + UNIQUE_CODE_MAX,
        ).values_list("transfer_amount", flat=True)
    )


def topup_request(
    *, partner: Partner, actor, amount: int, bank_account: BankAccount, ip=None
) -> TopUp:
    """Open a top-up request and email the transfer instructions.

    The amount to transfer is ``amount`` plus a 3-digit code chosen so that no other open
    request (of any partner) has the same transfer amount: staff match the bank statement by
    it. A partial unique index enforces that; a lost race simply picks another code.
    """
    if partner.status != Partner.Status.ACTIVE:
        raise BillingError(
            _("Akun Anda belum aktif. Top up dapat dilakukan setelah profil disetujui.")
        )
    if amount < TOPUP_MIN_AMOUNT:
        raise BillingError(
            _("Nominal top up minimal %(min)s.")
            % {"min": format_rupiah(TOPUP_MIN_AMOUNT)},
            code="amount",
        )
    if amount > TOPUP_MAX_AMOUNT:
        raise BillingError(
            _("Nominal top up maksimal %(max)s.")
            % {"max": format_rupiah(TOPUP_MAX_AMOUNT)},
            code="amount",
        )
    if not bank_account.is_active:
        raise BillingError(_("Rekening tujuan tidak aktif."), code="bank_account")
    topup_expire_overdue(partner=partner)
    open_count = TopUp.objects.filter(
        partner=partner, review_status=ReviewStatus.PENDING
    ).count()
    if open_count >= MAX_OPEN_TOPUPS:
        raise BillingError(
            _(
                "Masih ada %(count)d permintaan top up yang belum selesai. Selesaikan "
                "atau tunggu hingga kedaluwarsa sebelum membuat permintaan baru."
            )
            % {"count": open_count}
        )
    for _attempt in range(_CODE_ATTEMPTS):
        taken = _open_amounts_taken(amount)
        free = [
            code for code in range(1, UNIQUE_CODE_MAX + 1) if amount + code not in taken
        ]
        if not free:
            raise BillingError(
                _(
                    "Kode unik untuk nominal ini sedang habis. Silakan pilih nominal lain."
                ),
                code="amount",
            )
        code = secrets.choice(free)
        try:
            with atomic():
                now = timezone.now()
                topup = TopUp.objects.create(
                    partner=partner,
                    bank_account=bank_account,
                    amount=amount,
                    unique_code=code,
                    transfer_amount=amount + code,
                    submitted_at=now,
                    expires_at=now + TOPUP_VALID_FOR,
                    requested_by=actor,
                )
                audit_record(
                    action="topup.requested",
                    actor=actor,
                    partner=partner,
                    subject=topup,
                    after={
                        "amount": amount,
                        "unique_code": code,
                        "transfer_amount": topup.transfer_amount,
                        "bank_account": str(bank_account),
                    },
                    ip=ip,
                )
                _email(topup, "topup_requested", to=actor)
            return topup
        except IntegrityError:
            continue  # another request took this transfer amount a moment ago
    raise BillingError(_("Gagal membuat kode unik. Silakan coba lagi."))


def _email(topup: TopUp, template: str, *, to=None) -> None:
    recipient = to or topup.partner.owner
    if recipient is None:
        return
    email_queue(
        to=recipient.email,
        template=template,
        context={
            "user": recipient,
            "partner": topup.partner,
            "topup": topup,
            "bank": topup.bank_account,
            "portal_url": settings.SITE_URL
            + reverse("billing:topup_detail", args=[topup.pk]),
        },
        user=recipient,
    )


def topup_proof_upload(*, topup: TopUp, proof: ContentFile, actor, ip=None) -> TopUp:
    """Attach (or replace) the proof of transfer of an open request."""
    with atomic():
        locked = TopUp.objects.select_for_update().get(pk=topup.pk)
        if not locked.is_pending:
            raise BillingError(
                _("Top up ini sudah diproses; bukti tidak dapat diubah.")
            )
        if locked.expires_at <= timezone.now():
            raise BillingError(
                _(
                    "Batas waktu transfer sudah lewat. Silakan buat permintaan top up baru."
                )
            )
        previous = locked.proof.name
        locked.proof.save(proof.name or "bukti", proof, save=False)
        locked.proof_uploaded_at = timezone.now()
        locked.save(update_fields=["proof", "proof_uploaded_at"])
        audit_record(
            action="topup.proof_uploaded",
            actor=actor,
            partner=locked.partner,
            subject=locked,
            before={"proof": previous},
            after={"proof": locked.proof.name},
            ip=ip,
        )
        if previous:
            storage = locked.proof.storage
            on_commit(lambda: storage.delete(previous))
    topup.refresh_from_db()
    return locked


def topup_expire_overdue(
    *, now: datetime | None = None, partner: Partner | None = None
) -> int:
    """Mark open requests whose transfer deadline passed without a proof as expired.

    A request with an uploaded proof stays for staff to decide: the partner says they paid.
    Returns how many were expired. Run periodically by ``billing.tasks``.
    """
    now = now or timezone.now()
    overdue = TopUp.objects.filter(
        review_status=ReviewStatus.PENDING, expires_at__lte=now
    ).filter(Q(proof="") | Q(proof__isnull=True))
    if partner is not None:
        overdue = overdue.filter(partner=partner)
    expired = 0
    for pk in overdue.values_list("pk", flat=True):
        with atomic():
            topup = (
                TopUp.objects.select_for_update(of=("self",))
                .filter(pk=pk, review_status=ReviewStatus.PENDING)
                .select_related("partner", "bank_account")
                .first()
            )
            if topup is None or topup.proof:
                continue
            topup.review_status = ReviewStatus.REJECTED
            topup.review_reason = _(
                "Kedaluwarsa: tidak ada pembayaran dalam batas waktu transfer."
            )
            topup.decided_at = now
            topup.expired_at = now
            topup.save(
                update_fields=[
                    "review_status",
                    "review_reason",
                    "decided_at",
                    "expired_at",
                ]
            )
            audit_record(
                action="topup.expired",
                partner=topup.partner,
                subject=topup,
                before={"review_status": ReviewStatus.PENDING},
                after={"review_status": topup.review_status, "expired_at": now},
            )
            _email(topup, "topup_expired")
            expired += 1
    return expired
