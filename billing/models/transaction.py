"""Transactions recorded by the Open API (Payment, SinglePayment), as the partner sees them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.environments import Environment


class Transaction(models.Model):
    """One payment or purchase of a partner in one environment.

    The product is stored as plain fields (code, name, category) as it was at the time of the
    transaction, so the report filters without joins and a later catalogue change does not
    rewrite history. ``request`` and ``response`` keep the bodies as they were sent.
    """

    class Status(models.TextChoices):
        SUKSES = "sukses", _("Sukses")
        PENDING = "pending", _("Pending")
        GAGAL = "gagal", _("Gagal")

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="transactions",
        db_index=False,  # the (partner, environment, …) indexes below lead with it
    )
    environment = models.CharField(
        _("environment"), max_length=12, choices=Environment.choices
    )
    service = models.CharField(
        _("layanan"),
        max_length=20,
        blank=True,
        help_text=_("Payment atau SinglePayment."),
    )
    # The catalogue row, when known; the plain fields below keep what it was at the time.
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("produk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transactions",
    )
    product_code = models.CharField(_("kode produk"), max_length=20)
    product_name = models.CharField(_("nama produk"), max_length=150)
    category = models.CharField(_("kategori"), max_length=60)
    customer_number = models.CharField(_("nomor pelanggan"), max_length=64)
    reference_id = models.CharField(_("referenceID"), max_length=20)
    tagihan = models.BigIntegerField(_("tagihan"), default=0)
    admin = models.BigIntegerField(_("admin"), default=0)
    total = models.BigIntegerField(_("total"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    rc = models.CharField(_("rc"), max_length=4, blank=True)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    request = models.JSONField(_("request"), default=dict, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu transaksi"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The upstream that was asked (billers), our buy and sell price, and the provider's
    # own reference of the transaction.
    provider = models.ForeignKey(
        "billers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("penyedia"),
    )
    provider_ref = models.CharField(_("referensi penyedia"), max_length=64, blank=True)
    # Our reference of the transaction at the provider (billers.services.call_reference).
    upstream_ref = models.CharField(
        _("referensi kita di penyedia"), max_length=20, blank=True
    )
    buy_price = models.BigIntegerField(_("harga beli"), default=0)
    sell_price = models.BigIntegerField(_("harga jual"), default=0)
    # Pending ones: how often the provider was asked for the status, and when the staff
    # deadline passed without a final answer (then it waits in the back-office queue).
    checks = models.PositiveSmallIntegerField(_("cek status"), default=0)
    escalated_at = models.DateTimeField(
        _("menunggu keputusan staf sejak"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("transaksi")
        verbose_name_plural = _("transaksi")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The report, the dashboard's today figures and the 30-day chart: date ranges.
            models.Index(
                fields=["partner", "environment", "created_at", "id"],
                name="billing_txn_ptn_env_time",
            ),
            models.Index(
                fields=["partner", "environment", "customer_number"],
                name="billing_txn_ptn_env_cust",
            ),
            # Open pending transactions, for status checks and callbacks.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status="pending"),
                name="billing_txn_pending",
            ),
            # A provider's callback finds its pending transaction by our reference.
            models.Index(
                fields=["upstream_ref"],
                condition=Q(status="pending"),
                name="billing_txn_pending_upstream",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment", "reference_id"],
                name="billing_txn_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(tagihan__gte=0) & Q(admin__gte=0) & Q(total__gte=0),
                name="billing_txn_amounts_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference_id} {self.product_code} {self.customer_number}"

    def get_absolute_url(self) -> str:
        return reverse("billing:transaction_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.PENDING
