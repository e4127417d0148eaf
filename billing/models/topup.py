"""Top-up of the Production deposit by bank transfer, confirmed by staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.formatting import format_rupiah
from billing.models.deposit import DepositAccount
from portal.lib.environments import Environment
from portal.lib.review import Reviewable, ReviewStatus
from portal.lib.uploads import get_private_storage, private_upload_to

TOPUP_MIN_AMOUNT = 100_000
TOPUP_MAX_AMOUNT = 1_000_000_000
UNIQUE_CODE_MAX = 999


class BankAccount(models.Model):
    """A bank account of the aggregator that partners transfer their top-ups to."""

    bank = models.CharField(_("bank"), max_length=60)
    number = models.CharField(_("nomor rekening"), max_length=30)
    holder = models.CharField(_("atas nama"), max_length=120)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("rekening tujuan")
        verbose_name_plural = _("rekening tujuan")
        ordering = ["bank", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "number"], name="billing_bankaccount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.number} a.n. {self.holder}"


class TopUp(Reviewable):
    """A partner's request to top up the Production deposit.

    The partner transfers ``transfer_amount`` (the amount plus a unique code, so staff can
    match the transfer on the bank statement) before ``expires_at``; staff confirm it through
    the review pattern, and confirmation credits the deposit exactly once.
    """

    class State(models.TextChoices):
        AWAITING_PAYMENT = "menunggu_pembayaran", _("Menunggu pembayaran")
        AWAITING_CONFIRMATION = "menunggu_konfirmasi", _("Menunggu konfirmasi")
        CONFIRMED = "berhasil", _("Berhasil")
        REJECTED = "ditolak", _("Ditolak")
        EXPIRED = "kedaluwarsa", _("Kedaluwarsa")

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="topups",
        db_index=False,  # billing_topup_ptn leads with it
    )
    bank_account = models.ForeignKey(
        BankAccount,
        verbose_name=_("rekening tujuan"),
        on_delete=models.PROTECT,
        related_name="topups",
    )
    amount = models.BigIntegerField(_("nominal"))
    unique_code = models.PositiveSmallIntegerField(_("kode unik"))
    transfer_amount = models.BigIntegerField(_("jumlah transfer"))
    expires_at = models.DateTimeField(_("batas waktu transfer"))
    proof = models.FileField(
        _("bukti transfer"),
        storage=get_private_storage,
        upload_to=private_upload_to("topup"),
        blank=True,
    )
    proof_uploaded_at = models.DateTimeField(_("bukti diunggah"), null=True, blank=True)
    expired_at = models.DateTimeField(_("kedaluwarsa pada"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    review_noun = _("Top up deposit")
    review_action = "topup"

    class Meta:
        verbose_name = _("top up")
        verbose_name_plural = _("top up")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "submitted_at"], name="billing_topup_ptn"),
            # The back office's review list, newest first (its default ordering): without it
            # every page sorts all top-ups of all partners.
            models.Index(fields=["submitted_at", "id"], name="billing_topup_submitted"),
            models.Index(
                fields=["expires_at"],
                condition=Q(review_status="pending"),
                name="billing_topup_open_expiry",
            ),
        ]
        constraints = [
            # While requests are open, each transfer amount points at exactly one of them.
            models.UniqueConstraint(
                fields=["transfer_amount"],
                condition=Q(review_status="pending"),
                name="billing_topup_open_amount_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=TOPUP_MIN_AMOUNT),
                name="billing_topup_amount_min",
            ),
            models.CheckConstraint(
                condition=Q(unique_code__gte=1) & Q(unique_code__lte=UNIQUE_CODE_MAX),
                name="billing_topup_code_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Top up #{self.pk} {format_rupiah(self.transfer_amount)}"

    @property
    def state(self) -> str:
        if self.expired_at is not None:
            return self.State.EXPIRED
        if self.review_status == ReviewStatus.APPROVED:
            return self.State.CONFIRMED
        if self.review_status == ReviewStatus.REJECTED:
            return self.State.REJECTED
        if self.proof:
            return self.State.AWAITING_CONFIRMATION
        return self.State.AWAITING_PAYMENT

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_open(self) -> bool:
        """Still waiting for a transfer that may be made now."""
        return self.is_pending and self.expires_at > timezone.now()

    def review_title(self) -> str:
        return str(self)

    def review_portal_path(self) -> str:
        return reverse("billing:topup_detail", args=[self.pk])

    def review_email(self):
        return (
            "topup_decided",
            {
                "balance": DepositAccount.balance_of(
                    partner_id=self.partner_id, environment=Environment.PRODUCTION
                )
            },
        )
