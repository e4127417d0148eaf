"""Price lists, product status and the deposit balance."""

from __future__ import annotations

from billers.selectors import products_disrupted
from billing.selectors import deposit_balance
from openapi import fields, rc
from openapi.fields import BadRequest, money, reply
from openapi.services.common import Caller, check_merchant
from products.models import Product
from products.selectors import catalogue

PULSA_CATEGORIES = ("pulsa-prabayar", "paket-data")


def _record(product: Product) -> dict:
    return {
        "code": product.code,
        "name": product.name,
        "category": product.category.name,
        "type": product.kind,
        "price": money(product.price),
        "admin": money(product.admin_fee),
        "status": product.status,
    }


def _list(records: list[dict]) -> dict:
    return {"rc": "00", "description": rc.describe("00"), "record": records}


def _category(body: dict):
    category = body.get("category")
    if category in (None, ""):
        return None
    if not isinstance(category, str) or len(category) > 60:
        raise BadRequest("Field category harus berupa nama kategori, misalnya Listrik")
    products = catalogue().filter(category__name__iexact=category)
    if not products:
        raise BadRequest(f"Kategori {category} tidak dikenal", rc="15")
    return products


def _one(body: dict):
    code = fields.text(body, "productID")
    products = catalogue().filter(code=code)
    if not products:
        raise BadRequest(f"Produk {code} tidak dikenal", rc="15")
    return products


def pulsa_prices(caller: Caller, body: dict) -> dict:
    """Base prices of pulsa and paket data of one operator (``prefixID``)."""
    check_merchant(caller, body)
    prefix = fields.text(body, "prefixID")
    products = catalogue().filter(operator=prefix, category__slug__in=PULSA_CATEGORIES)
    return _list([_record(p) for p in products])


def _group(body: dict) -> dict:
    """Every product of the group named by ``prefixID`` (``LST.AAAA``…, Kiosbank's form).

    An unknown group is an empty list with rc 00, said in the description: a client that
    synchronises its price list must not take a refusal for "no products"."""
    code = body["prefixID"]
    if not isinstance(code, str) or len(code) > 40:
        raise BadRequest("Field prefixID harus berupa kode grup, misalnya LST.AAAA")
    code = code.strip().upper()
    products = catalogue().filter(category__group_code=code)
    if products:
        return _list([_record(p) for p in products])
    answer = _list([])
    answer["description"] = (
        f"Grup produk {code} tidak dikenal atau kosong; daftar grup ada di dokumentasi "
        "getHargaByProductID"
    )
    return answer


def price_by_product(caller: Caller, body: dict) -> dict:
    """The price of one product (``productID``), of a product group (``prefixID``, the
    whole-list synchronisation) or of a category (``category``)."""
    check_merchant(caller, body)
    if body.get("productID") not in (None, ""):
        products = _one(body)
    elif body.get("prefixID") not in (None, ""):
        return _group(body)
    else:
        products = _category(body)
        if products is None:
            raise BadRequest("Isi productID, prefixID (kode grup) atau category")
    return _list([_record(p) for p in products])


def active_product(caller: Caller, body: dict) -> dict:
    """AKTIF, GANGGUAN or MAINTENANCE, of one product or of the whole catalogue; an
    active product that no provider can serve now is GANGGUAN."""
    check_merchant(caller, body)
    if body.get("productID") not in (None, ""):
        products = _one(body)
    else:
        products = catalogue()
    disrupted = products_disrupted(
        [p.pk for p in products if p.status == Product.Status.ACTIVE]
    )
    return _list(
        [
            {
                "code": p.code,
                "name": p.name,
                "status": Product.Status.DISRUPTED if p.pk in disrupted else p.status,
            }
            for p in products
        ]
    )


def product_list(caller: Caller, body: dict) -> dict:
    """The catalogue, optionally of one category."""
    check_merchant(caller, body)
    products = _category(body)
    if products is None:
        products = catalogue()
    return _list([_record(p) for p in products])


def deposit(caller: Caller, body: dict) -> dict:
    """The deposit balance of the caller's environment."""
    check_merchant(caller, body)
    balance = deposit_balance(partner=caller.partner, environment=caller.environment)
    return reply(
        "00", body, data={"deposit": money(balance), "environment": caller.environment}
    )
