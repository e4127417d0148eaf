"""The catalogue (categories and products) and the products each partner has chosen."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A product category as partners see it in the drop-down ("Listrik", "PDAM", …)."""

    slug = models.SlugField(_("kode kategori"), max_length=40, unique=True)
    name = models.CharField(_("nama kategori"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    # Clients that synchronise the whole price list name a group in Kiosbank's form
    # (getHargaByProductID with prefixID, e.g. "LST.AAAA"): one group per category.
    group_code = models.CharField(
        _("kode grup"),
        max_length=12,
        blank=True,
        default="",
        help_text=_(
            "prefixID untuk getHargaByProductID, format AAA.AAAA (huruf besar), "
            "misalnya LST.AAAA."
        ),
        validators=[
            RegexValidator(
                r"^[A-Z]{3}\.[A-Z]{4}$",
                _("Kode grup harus berformat AAA.AAAA (huruf besar)."),
            )
        ],
    )

    class Meta:
        verbose_name = _("kategori produk")
        verbose_name_plural = _("kategori produk")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_code"],
                condition=~models.Q(group_code=""),
                name="products_category_group_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Operator(models.TextChoices):
    """Cellular operators, by the two-character suffix of pulsa and data codes (prefixID)."""

    INDOSAT = "11", "Indosat"
    TELKOMSEL = "21", "Telkomsel"
    XL = "31", "XL"
    THREE = "41", "Three"
    AXIS = "51", "Axis"
    SMARTFREN = "81", "Smartfren"


class Product(models.Model):
    """One ``productID`` of the Open API.

    Prepaid products are sold at ``price`` (harga dasar); postpaid ones carry the biller's bill
    plus ``admin_fee``. ``status`` is what get-Active-Product answers and what the portal shows.
    """

    class Kind(models.TextChoices):
        PREPAID = "prabayar", _("Prabayar")
        POSTPAID = "pascabayar", _("Pascabayar")

    class Status(models.TextChoices):
        ACTIVE = "AKTIF", _("Aktif")
        DISRUPTED = "GANGGUAN", _("Gangguan")
        MAINTENANCE = "MAINTENANCE", _("Maintenance")

    code = models.CharField(_("kode produk"), max_length=12, unique=True)
    name = models.CharField(_("nama produk"), max_length=120)
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    operator = models.CharField(
        _("operator"), max_length=2, choices=Operator.choices, blank=True
    )
    price = models.PositiveIntegerField(
        _("harga dasar"), default=0, help_text=_("Rupiah; untuk produk prabayar.")
    )
    admin_fee = models.PositiveIntegerField(
        _("biaya admin"), default=0, help_text=_("Rupiah; untuk produk pascabayar.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["category__position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="pascabayar") | models.Q(price__gt=0),
                name="products_product_prepaid_has_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_prepaid(self) -> bool:
        return self.kind == self.Kind.PREPAID

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def amount(self) -> int:
        """What the partner pays us per sale: the price, or the admin fee of a bill."""
        return self.price if self.is_prepaid else self.admin_fee


class PartnerProduct(models.Model):
    """A product a partner has chosen, and how far its integration has come.

    ``state`` is moved only by ``products.services``: choosing puts a product in Development;
    the integration app's UAT and live decisions move it on, up to Aktif (sold in Production).
    """

    class State(models.TextChoices):
        DEVELOPMENT = "development", _("Development")
        UAT_PENDING = "uat_menunggu", _("UAT menunggu approval")
        UAT_APPROVED = "uat_disetujui", _("UAT disetujui")
        UAT_REJECTED = "uat_ditolak", _("UAT ditolak")
        LIVE_PENDING = "live_menunggu", _("Live menunggu approval")
        LIVE_REJECTED = "live_ditolak", _("Live ditolak")
        ACTIVE = "aktif", _("Aktif")

    # States in which a review is open or the product is sold: it cannot be removed then.
    LOCKED_STATES = (State.UAT_PENDING, State.LIVE_PENDING, State.ACTIVE)

    partner = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("mitra"),
        on_delete=models.CASCADE,
        related_name="chosen_products",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.PROTECT,
        related_name="partner_products",
    )
    state = models.CharField(
        _("status integrasi"),
        max_length=16,
        choices=State.choices,
        default=State.DEVELOPMENT,
        db_index=True,
    )
    state_reason = models.TextField(_("alasan"), blank=True)
    chosen_at = models.DateTimeField(_("dipilih"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("status berubah"), auto_now_add=True)

    class Meta:
        verbose_name = _("produk mitra")
        verbose_name_plural = _("produk mitra")
        ordering = ["-chosen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "product"], name="products_partner_product_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.get_state_display()})"

    @property
    def is_removable(self) -> bool:
        return self.state not in self.LOCKED_STATES

    @property
    def is_live(self) -> bool:
        return self.state == self.State.ACTIVE
