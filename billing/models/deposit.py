"""Deposit accounts, their ledger and staff adjustments.

The balance of an account changes only through ``billing.services.ledger.ledger_post``: in
one database transaction, a conditional update of the account row (which locks it) and the
``LedgerEntry`` that records it. Entries are
never edited or deleted: a mistake is corrected by a new entry (a reversal or an adjustment).
Three guards keep it so: the model refuses ``save`` of an existing row and ``delete``, its
queryset refuses ``update`` and ``delete``, and a PostgreSQL trigger refuses UPDATE and DELETE.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.environments import Environment
from portal.lib.review import Reviewable


class LedgerImmutableError(Exception):
    """Raised when code tries to change or remove a ledger entry."""


class DepositAccount(models.Model):
    """One per partner and environment; Production and Development money never mix."""

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="deposit_accounts",
        db_index=False,  # the unique (partner, environment) index leads with it
    )
    environment = models.CharField(
        _("environment"), max_length=12, choices=Environment.choices
    )
    balance = models.BigIntegerField(_("saldo"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("akun deposit")
        verbose_name_plural = _("akun deposit")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment"],
                name="billing_account_one_per_env",
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="billing_account_balance_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.get_environment_display()}"

    @classmethod
    def balance_of(cls, *, partner_id: int, environment: str) -> int:
        """The balance of the partner's account in ``environment``; 0 before it exists."""
        balance = (
            cls.objects.filter(partner_id=partner_id, environment=environment)
            .values_list("balance", flat=True)
            .first()
        )
        return balance or 0


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutableError("Entri mutasi deposit tidak boleh diubah.")

    def delete(self):
        raise LedgerImmutableError("Entri mutasi deposit tidak boleh dihapus.")


class LedgerEntry(models.Model):
    """One movement of a deposit account: ``amount`` is signed (credit > 0, debit < 0) and
    ``balance_after`` is the account balance right after it, so a statement needs no sums."""

    class Kind(models.TextChoices):
        TOPUP = "topup", _("Top up")
        DEBIT = "debit", _("Transaksi")
        REVERSAL = "reversal", _("Pengembalian")
        ADJUSTMENT = "adjustment", _("Penyesuaian")

    account = models.ForeignKey(
        DepositAccount,
        verbose_name=_("akun deposit"),
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,  # billing_ledger_acct_time leads with it
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField(_("jumlah"))
    balance_after = models.BigIntegerField(_("saldo akhir"))
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    # What caused the entry: at most one of these is set (a sandbox credit has none).
    transaction = models.ForeignKey(
        "billing.Transaction",
        verbose_name=_("transaksi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    topup = models.ForeignKey(
        "billing.TopUp",
        verbose_name=_("top up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    adjustment = models.ForeignKey(
        "billing.DepositAdjustment",
        verbose_name=_("penyesuaian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("mutasi deposit")
        verbose_name_plural = _("mutasi deposit")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["account", "created_at", "id"], name="billing_ledger_acct_time"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="billing_ledger_balance_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(amount=0), name="billing_ledger_amount_not_0"
            ),
            # The database, not only the code, makes each of these happen at most once.
            models.UniqueConstraint(
                fields=["transaction"],
                condition=Q(kind="debit"),
                name="billing_ledger_one_debit_per_txn",
            ),
            models.UniqueConstraint(
                fields=["transaction"],
                condition=Q(kind="reversal"),
                name="billing_ledger_one_reversal_per_txn",
            ),
            models.UniqueConstraint(
                fields=["topup"],
                condition=Q(topup__isnull=False),
                name="billing_ledger_one_per_topup",
            ),
            models.UniqueConstraint(
                fields=["adjustment"],
                condition=Q(adjustment__isnull=False),
                name="billing_ledger_one_per_adjustment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+d} → {self.balance_after}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError("Entri mutasi deposit tidak boleh diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("Entri mutasi deposit tidak boleh dihapus.")

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


class DepositAdjustment(Reviewable):
    """A correction made by staff: one staff member creates it with a reason, a different
    one approves it (four-eyes); only then is the ledger entry written."""

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="deposit_adjustments",
    )
    environment = models.CharField(
        _("environment"),
        max_length=12,
        choices=Environment.choices,
        default=Environment.PRODUCTION,
    )
    amount = models.BigIntegerField(
        _("jumlah"),
        help_text=_("Positif menambah saldo, negatif mengurangi saldo (rupiah)."),
    )
    reason = models.TextField(_("alasan penyesuaian"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    review_noun = _("Penyesuaian deposit")
    review_action = "deposit_adjustment"

    class Meta:
        verbose_name = _("penyesuaian deposit")
        verbose_name_plural = _("penyesuaian deposit")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="billing_adjustment_amount_not_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_environment_display()} {self.amount:+d}"

    def review_email(self):
        # Staff-only workflow; the partner sees the entry in Mutasi Deposit.
        return None

    def review_portal_path(self) -> str:
        return reverse("billing:mutasi")
