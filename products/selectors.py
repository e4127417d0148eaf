"""Reads of the catalogue and of partners' chosen products (used by the portal, the
documentation pages and the Open API)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Partner
from portal.lib.environments import Environment
from portal.lib.sql import col, execute, table
from products.csvio import EXPORT_COLUMNS
from products.models import Category, PartnerProduct, Product


def product_by_code(code: str) -> Product | None:
    """The catalogue product with this ``productID`` (with its category), or None."""
    return Product.objects.select_related("category").filter(code=code).first()


def partner_product_state(partner: Partner, product: Product) -> str | None:
    """The partner's ``PartnerProduct.State`` for ``product``, or None when it is not chosen
    (``partner_state_sql`` run on its own)."""
    with connection.cursor() as cursor:
        execute(
            cursor,
            f"SELECT {partner_state_sql(partner='%s', product='%s')}",
            [partner.pk, product.pk],
        )
        return cursor.fetchone()[0]


def partner_state_sql(*, partner: str, product: str) -> str:
    """The partner's ``PartnerProduct.State`` of a product as a scalar subquery (NULL when
    not chosen), for ``partner`` and ``product`` given as SQL expressions (``%s`` or columns
    of the statement around it): the Open API reads it with the product in one statement
    and asks ``product_sellable`` about it."""
    state, partner_id, product_id = (
        col(PartnerProduct, name) for name in ("state", "partner_id", "product_id")
    )
    return f"""(SELECT pp.{state} FROM {table(PartnerProduct)} pp
        WHERE pp.{partner_id} = {partner} AND pp.{product_id} = {product})"""  # noqa: S608 - names come from _meta; values are parameters


def product_sellable(*, state: str | None, environment: str) -> bool:
    """May a partner whose state of a product is ``state`` (``partner_product_state``, or
    ``partner_state_sql`` in a statement) transact it in ``environment``?

    Development: the partner has chosen it (any state). Production: it is Aktif (live) for
    the partner. Any other environment: no. The catalogue status (GANGGUAN / MAINTENANCE) is
    a separate check of the caller.
    """
    if state is None:
        return False
    if environment == Environment.PRODUCTION:
        return state == PartnerProduct.State.ACTIVE
    return environment == Environment.DEVELOPMENT


def categories() -> QuerySet[Category]:
    """Categories in menu order, each with ``product_count``."""
    return Category.objects.annotate(product_count=Count("products")).order_by(
        "position", "name"
    )


def catalogue(*, category: Category | str | None = None) -> QuerySet[Product]:
    """Catalogue products (with category), optionally of one category (object or slug)."""
    products = Product.objects.select_related("category").order_by(
        "category__position", "code"
    )
    if isinstance(category, Category):
        products = products.filter(category=category)
    elif category:
        products = products.filter(category__slug=category)
    return products


def operator_products(*, operator: str) -> QuerySet[Product]:
    """Pulsa and paket data of one operator prefix (getPulsa-Prabayar ``prefixID``: 11, 21,
    31, 41, 51, 81). XL's pulsa codes (31) also serve Axis numbers."""
    return catalogue().filter(operator=operator).order_by("category__position", "price")


def products_available(*, partner: Partner, category: Category) -> QuerySet[Product]:
    """Products of ``category`` the partner has not chosen yet (Tambah Produk)."""
    return (
        catalogue(category=category)
        .exclude(partner_products__partner=partner)
        .order_by("code")
    )


def partner_products(
    *, partner: Partner, category: str | None = None, state: str | None = None
) -> QuerySet[PartnerProduct]:
    """The partner's chosen products (Produk Anda), newest first; filters are optional."""
    rows = PartnerProduct.objects.filter(partner=partner).select_related(
        "product", "product__category"
    )
    if category:
        rows = rows.filter(product__category__slug=category)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("product__category__position", "product__code")


def partner_notice(partner: Partner) -> str | None:
    """Why a partner may not choose or integrate products yet, and what to do; None if active."""
    status = partner.status
    if status == Partner.Status.ACTIVE:
        return None
    notices: dict[str, str] = {
        Partner.Status.INCOMPLETE: _(
            "Lengkapi data profil dan unggah dokumen di menu Profil, lalu tunggu verifikasi."
        ),
        Partner.Status.PENDING: _(
            "Data profil Anda sedang diverifikasi (maksimal 1x24 jam). Produk dapat dipilih "
            "setelah akun aktif."
        ),
        Partner.Status.REJECTED: _(
            "Perbaiki data profil sesuai alasan penolakan di menu Profil, lalu ajukan kembali."
        ),
        Partner.Status.SUSPENDED: _(
            "Akun Anda dinonaktifkan. Hubungi tim bisnis kami untuk informasi lebih lanjut."
        ),
    }
    what = notices.get(status, "")
    return _("Akun mitra Anda belum aktif (status: %(status)s). %(what)s") % {
        "status": partner.get_status_display(),
        "what": what,
    }


def catalogue_csv_rows() -> Iterator[list[str]]:
    """The price list as CSV rows, header first (for the back-office export)."""
    yield EXPORT_COLUMNS
    for product in catalogue().iterator(chunk_size=500):
        yield [
            product.code,
            product.name,
            product.category.slug,
            product.kind,
            product.operator,
            str(product.price),
            str(product.admin_fee),
            product.status,
        ]
