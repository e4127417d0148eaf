"""Price lists imported in the back-office (harga, biaya admin, komisi per product)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from portal.lib.audit import audit_record, snapshot
from products.csvio import CsvRow, parse_rupiah
from products.models import Product
from products.services.errors import ProductError


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
