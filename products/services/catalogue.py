"""The catalogue: loading it from the repository's CSV files, and the back-office's edits
of a product and of its status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from portal.lib.audit import audit_record, snapshot
from products.csvio import CsvRow, read_table
from products.models import Category, Operator, Product
from products.services.errors import ProductError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.csv"
CATEGORIES_FILE = DATA_DIR / "categories.csv"


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
