"""Upstream providers (the billers we buy from) and, per product, the ordered providers that
sell it, with our buy price and the product's code at each."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.environments import Environment


class Provider(models.Model):
    """One upstream. Its credentials are never stored here: ``credentials_env`` names the
    prefix of the environment variables that hold them, per environment
    (``<PREFIX>_DEVELOPMENT_USERNAME``, ``<PREFIX>_PRODUCTION_KEY``…)."""

    class Kind(models.TextChoices):
        SIMULATOR = "simulator", _("Simulator (dalam proses)")
        NETWORK = "network", _("Simulator jaringan (H2H JSON)")
        DIGIFLAZZ = "digiflazz", _("Digiflazz")
        KIOSBANK = "kiosbank", _("Protokol Kiosbank")

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    kind = models.CharField(_("jenis adapter"), max_length=12, choices=Kind.choices)
    base_url = models.URLField(_("URL dasar"), blank=True)
    credentials_env = models.CharField(
        _("awalan variabel lingkungan kredensial"),
        max_length=40,
        blank=True,
        help_text=_(
            "Kredensial dibaca dari variabel lingkungan <AWALAN>_<LINGKUNGAN>_<NAMA>, "
            "misalnya DIGIFLAZZ_PRODUCTION_KEY; tidak pernah disimpan atau ditampilkan."
        ),
    )
    timeout_seconds = models.DecimalField(
        _("batas waktu (detik)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        validators=[MinValueValidator(0.1)],
    )
    enabled = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("penyedia (biller)")
        verbose_name_plural = _("penyedia (biller)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def credential(self, environment: str, name: str) -> str:
        """One credential of this provider in ``environment`` ("development" or
        "production"), from the process environment; "" when it is not set."""
        if not self.credentials_env:
            return ""
        key = f"{self.credentials_env}_{environment}_{name}".upper()
        return os.environ.get(key, "")


class ProviderProduct(models.Model):
    """A product as one provider sells it: the order in which providers are tried
    (``priority``, lowest first), its code there and what it costs us."""

    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("produk"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="products",
        verbose_name=_("penyedia"),
    )
    priority = models.PositiveSmallIntegerField(_("urutan"), default=1)
    provider_code = models.CharField(
        _("kode produk di penyedia"),
        max_length=40,
        help_text=_("Kosongkan untuk memakai kode produk kita."),
        blank=True,
    )
    buy_price = models.PositiveIntegerField(
        _("harga beli"),
        default=0,
        help_text=_(
            "Prabayar: harga yang kita bayar ke penyedia. Pascabayar: biaya admin "
            "penyedia di atas tagihan."
        ),
    )
    enabled = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("rute produk")
        verbose_name_plural = _("rute produk")
        ordering = ["product", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "provider"], name="billers_route_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.provider_id} #{self.priority}"


class Reconciliation(models.Model):
    """One run of the daily reconciliation: our transactions of ``day`` (Asia/Jakarta) in
    ``environment`` that went to ``provider``, each checked against the provider's own
    status (``billers.services.reconcile``)."""

    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="reconciliations",
        verbose_name=_("penyedia"),
    )
    day = models.DateField(_("tanggal transaksi"))
    environment = models.CharField(
        _("environment"), max_length=12, choices=Environment.choices
    )
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("transaksi dicek"), default=0)
    matched = models.PositiveIntegerField(_("cocok"), default=0)
    mismatched = models.PositiveIntegerField(_("selisih"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijalankan oleh"),
        help_text=_("Kosong: dijalankan otomatis setiap hari."),
    )

    class Meta:
        verbose_name = _("rekonsiliasi")
        verbose_name_plural = _("rekonsiliasi")
        ordering = ["-day", "-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["provider", "day", "environment"], name="billers_recon_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.day} {self.environment}"


class ReconciliationMismatch(models.Model):
    """One of our transactions on which the provider disagrees (or cannot say)."""

    class Kind(models.TextChoices):
        SUCCESS_FAILED = "success_failed", _("Kami sukses, penyedia gagal")
        FAILED_SUCCESS = "failed_success", _("Kami gagal, penyedia sukses")
        PENDING = "pending", _("Masih pending")
        UNKNOWN = "unknown", _("Tidak dikenal penyedia")

    class Theirs(models.TextChoices):
        SUKSES = "sukses", _("Sukses")
        GAGAL = "gagal", _("Gagal")
        PENDING = "pending", _("Pending / tidak menjawab")
        UNKNOWN = "unknown", _("Tidak dikenal")

    reconciliation = models.ForeignKey(
        Reconciliation,
        on_delete=models.CASCADE,
        related_name="mismatches",
        verbose_name=_("rekonsiliasi"),
    )
    transaction = models.ForeignKey(
        "billing.Transaction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transaksi"),
    )
    kind = models.CharField(_("jenis selisih"), max_length=16, choices=Kind.choices)
    # Our status (billing.Transaction.Status) and what the provider said, with its rc.
    ours = models.CharField(_("status kami"), max_length=8)
    theirs = models.CharField(
        _("status penyedia"), max_length=8, choices=Theirs.choices
    )
    theirs_rc = models.CharField(_("rc penyedia"), max_length=4, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("selisih rekonsiliasi")
        verbose_name_plural = _("selisih rekonsiliasi")
        ordering = ["reconciliation", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_id}: {self.kind}"
