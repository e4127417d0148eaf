"""Writes of the catalogue and of partners' chosen products."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from portal.lib.audit import audit_record, snapshot
from products.csvio import CsvRow, parse_rupiah, read_table
from products.models import Category, Operator, PartnerProduct, Product

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.csv"
CATEGORIES_FILE = DATA_DIR / "categories.csv"

State = PartnerProduct.State

# Where a chosen product may go next; anything else is a bug in the caller.
TRANSITIONS: dict[str, set[str]] = {
    State.DEVELOPMENT: {State.UAT_PENDING},
    State.UAT_PENDING: {State.UAT_APPROVED, State.UAT_REJECTED},
    State.UAT_REJECTED: {State.UAT_PENDING},
    State.UAT_APPROVED: {State.LIVE_PENDING},
    State.LIVE_PENDING: {State.ACTIVE, State.LIVE_REJECTED},
    State.LIVE_REJECTED: {State.LIVE_PENDING},
    State.ACTIVE: set(),
}


class ProductError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the catalogue ------------------------------------------------------------------------


@dataclass
class CatalogueLoadResult:
    categories: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def catalogue_load(
    *,
    products_path: Path = CATALOGUE_FILE,
    categories_path: Path = CATEGORIES_FILE,
    update_prices: bool = False,
) -> CatalogueLoadResult:
    """Load the catalogue data files; running it again changes nothing.

    New products are created as listed. For products that exist, the descriptive fields follow
    the file, but price, admin fee and status stay as staff set them in the back-office unless
    ``update_prices`` is given (then price and admin fee follow the file too).
    """
    result = CatalogueLoadResult()
    _header, category_rows = read_table(categories_path.read_text(encoding="utf-8"))
    _header, product_rows = read_table(products_path.read_text(encoding="utf-8"))
    with transaction.atomic():
        categories = {}
        for row in category_rows:
            defaults = {
                "name": row.values["nama"],
                "position": int(row.values["urutan"]),
            }
            if row.values.get("grup"):
                defaults["group_code"] = row.values["grup"]
            category, _created = Category.objects.update_or_create(
                slug=row.values["slug"], defaults=defaults
            )
            categories[category.slug] = category
        result.categories = len(categories)
        existing = {
            product.code: product
            for product in Product.objects.select_related("category")
        }
        # Staff own prices and status once a product exists; the file owns the rest.
        follow_file = {"name", "category", "kind", "operator"}
        if update_prices:
            follow_file |= {"price", "admin_fee"}
        for row in product_rows:
            wanted = _catalogue_values(row, categories)
            product = existing.get(wanted["code"])
            if product is None:
                Product.objects.create(**wanted)
                result.created += 1
                continue
            changed = [
                name
                for name in sorted(follow_file)
                if getattr(product, name) != wanted[name]
            ]
            if changed:
                for name in changed:
                    setattr(product, name, wanted[name])
                product.save(update_fields=[*changed, "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def _catalogue_values(row: CsvRow, categories: dict[str, Category]) -> dict:
    values = row.values
    try:
        return {
            "code": values["kode"],
            "name": values["nama"],
            "category": categories[values["kategori"]],
            "kind": Product.Kind(values["jenis"]),
            "operator": Operator(values["operator"]) if values["operator"] else "",
            "price": int(values["harga"] or 0),
            "admin_fee": int(values["admin"] or 0),
            "status": Product.Status(values.get("status") or Product.Status.ACTIVE),
        }
    except (KeyError, ValueError) as exc:
        raise ProductError(
            _("Baris %(line)d katalog tidak valid: %(error)s")
            % {"line": row.line, "error": exc}
        ) from exc


def product_status_set(
    *, products: Iterable[Product], status: str, actor, ip: str | None = None
) -> int:
    """Set the status of products (AKTIF / GANGGUAN / MAINTENANCE); returns how many changed.

    Partners see the new status at once: pages and the Open API read it from the database.
    """
    status = Product.Status(status)
    changed = 0
    with transaction.atomic():
        ids = [product.pk for product in products]
        for product in Product.objects.select_for_update().filter(pk__in=ids):
            if product.status == status:
                continue
            before = {"status": product.status}
            product.status = status
            product.save(update_fields=["status", "updated_at"])
            audit_record(
                action="product.status_changed",
                actor=actor,
                subject=product,
                before=before,
                after={"status": status},
                ip=ip,
            )
            changed += 1
    return changed


@dataclass
class PriceImportResult:
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def product_prices_import(
    *, rows: list[CsvRow], actor, ip: str | None = None
) -> PriceImportResult:
    """Apply the ``harga`` / ``admin`` columns of an uploaded price list, row by row.

    Rows that cannot be applied (unknown code, not a whole rupiah amount, a prepaid product
    without a price) are refused with their line number; the valid rows are applied together.
    """
    result = PriceImportResult()
    with transaction.atomic():
        codes = [row.values.get("kode", "") for row in rows]
        products = {
            product.code: product
            for product in Product.objects.select_for_update().filter(code__in=codes)
        }
        seen: set[str] = set()
        for row in rows:
            code = row.values.get("kode", "")
            product = products.get(code)
            if not code:
                result.refused.append((row.line, _("kode produk kosong")))
                continue
            if product is None:
                result.refused.append(
                    (row.line, _("kode %(code)s tidak ada di katalog") % {"code": code})
                )
                continue
            if code in seen:
                result.refused.append(
                    (
                        row.line,
                        _("kode %(code)s muncul lebih dari sekali") % {"code": code},
                    )
                )
                continue
            seen.add(code)
            try:
                wanted = _import_amounts(row, product)
            except ProductError as exc:
                result.refused.append((row.line, exc.message))
                continue
            changed = [
                name
                for name, value in wanted.items()
                if getattr(product, name) != value
            ]
            if not changed:
                result.unchanged += 1
                continue
            before = snapshot(product, fields=changed)
            for name in changed:
                setattr(product, name, wanted[name])
            product.save(update_fields=[*changed, "updated_at"])
            audit_record(
                action="product.price_changed",
                actor=actor,
                subject=product,
                before=before,
                after=snapshot(product, fields=changed),
                ip=ip,
            )
            result.updated += 1
    return result


def _import_amounts(row: CsvRow, product: Product) -> dict[str, int]:
    wanted = {}
    for column, name in (("harga", "price"), ("admin", "admin_fee")):
        raw = row.values.get(column, "")
        if raw == "":
            continue
        try:
            wanted[name] = parse_rupiah(raw)
        except ValueError:
            raise ProductError(
                _("%(column)s %(value)s bukan angka rupiah utuh")
                % {"column": column, "value": raw}
            ) from None
    if not wanted:
        raise ProductError(_("kolom harga dan admin kosong"))
    if product.is_prepaid and wanted.get("price", product.price) <= 0:
        raise ProductError(_("harga produk prabayar harus lebih dari 0"))
    return wanted


# --- a partner's chosen products --------------------------------------------------------


def partner_products_choose(
    *, partner: Partner, products: Iterable[Product], actor, ip: str | None = None
) -> int:
    """Add products to the partner's list (state Development); returns how many were added.

    Only an active partner may choose, only AKTIF products may be chosen, and either every
    product of the request is added or none is. Products already chosen are left as they are.
    """
    products = list(products)
    if partner.status != Partner.Status.ACTIVE:
        raise ProductError(
            _(
                "Produk hanya dapat dipilih setelah akun mitra aktif (status saat ini: %(s)s)."
            )
            % {"s": partner.get_status_display()}
        )
    if not products:
        raise ProductError(_("Pilih minimal satu produk terlebih dahulu."))
    with transaction.atomic():
        fresh = list(
            Product.objects.filter(pk__in=[p.pk for p in products]).order_by("code")
        )
        blocked = [product for product in fresh if not product.is_active]
        if blocked:
            raise ProductError(
                _(
                    "Produk berikut sedang tidak aktif dan belum dapat dipilih: %(list)s."
                )
                % {
                    "list": ", ".join(
                        f"{product} ({product.get_status_display()})"
                        for product in blocked
                    )
                }
            )
        chosen = set(
            PartnerProduct.objects.filter(
                partner=partner, product__in=fresh
            ).values_list("product_id", flat=True)
        )
        new = [product for product in fresh if product.pk not in chosen]
        PartnerProduct.objects.bulk_create(
            [PartnerProduct(partner=partner, product=product) for product in new],
            ignore_conflicts=True,
        )
        if new:
            audit_record(
                action="partner_product.chosen",
                actor=actor,
                partner=partner,
                subject=partner,
                after={"products": [product.code for product in new]},
                ip=ip,
            )
    return len(new)


def partner_product_remove(
    *, partner_product: PartnerProduct, actor, ip: str | None = None
) -> None:
    """Remove a product from the partner's list; refused while a review is open or it is live."""
    with transaction.atomic():
        locked = (
            PartnerProduct.objects.select_for_update()
            .select_related("product")
            .get(pk=partner_product.pk)
        )
        if not locked.is_removable:
            raise ProductError(
                _("Produk %(product)s berstatus %(state)s dan tidak dapat dihapus.")
                % {"product": locked.product, "state": locked.get_state_display()}
            )
        before = snapshot(locked)
        before["product_code"] = locked.product.code
        audit_record(
            action="partner_product.removed",
            actor=actor,
            partner=locked.partner,
            subject=locked,
            before=before,
            ip=ip,
        )
        locked.delete()


def partner_product_state_set(
    *,
    partner: Partner,
    product: Product,
    state: str,
    reason: str = "",
    actor=None,
    ip: str | None = None,
) -> PartnerProduct:
    """Move a chosen product to ``state`` (called by the integration app's services and review
    hooks, inside their transaction). Refuses a product that is not chosen or a move that the
    integration flow does not allow."""
    state = State(state)
    with transaction.atomic():
        try:
            locked = PartnerProduct.objects.select_for_update().get(
                partner=partner, product=product
            )
        except PartnerProduct.DoesNotExist:
            raise ProductError(
                _("Produk %(product)s belum dipilih di menu Produk.")
                % {"product": product}
            ) from None
        if state not in TRANSITIONS[locked.state]:
            raise ProductError(
                _(
                    "Status produk %(product)s tidak dapat diubah dari %(from)s ke %(to)s."
                )
                % {
                    "product": product,
                    "from": locked.get_state_display(),
                    "to": state.label,
                }
            )
        before = {"state": locked.state, "state_reason": locked.state_reason}
        locked.state = state
        locked.state_reason = reason
        locked.state_changed_at = timezone.now()
        locked.save(update_fields=["state", "state_reason", "state_changed_at"])
        audit_record(
            action="partner_product.state_changed",
            actor=actor,
            partner=partner,
            subject=locked,
            before=before,
            after={
                "state": state,
                "state_reason": reason,
                "product_code": product.code,
            },
            ip=ip,
        )
    return locked


def product_save(
    *, product: Product, changed: list[str], actor, ip: str | None = None
) -> Product:
    """Save a product edited in the back-office, with an audit event of what changed."""
    with transaction.atomic():
        creating = product.pk is None
        before = None
        if not creating:
            before = snapshot(
                Product.objects.get(pk=product.pk), fields=changed or None
            )
        product.save()
        audit_record(
            action="product.created" if creating else "product.changed",
            actor=actor,
            subject=product,
            before=before,
            after=snapshot(product, fields=None if creating else changed or None),
            ip=ip,
        )
    return product
