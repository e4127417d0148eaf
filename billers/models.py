"""Upstream providers (the billers we buy from) and, per product, the ordered providers that
sell it, with our buy price and the product's code at each."""

from __future__ import annotations

import os

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    @property
    def code_at_provider(self) -> str:
        return self.provider_code or self.product.code
