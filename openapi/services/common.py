"""What every service shares: the authenticated caller, the merchantID check and the product
a payment service may sell."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import Partner
from openapi import fields
from openapi.fields import BadRequest, reply
from openapi.selectors import ProductLookup, ProductQuery, product_lookup
from portal.lib.environments import Environment
from products.models import Product
from products.selectors import product_sellable
from profiles.models import Credential


@dataclass
class Caller:
    """Who is calling, once the gateway has checked IP, Digest and session."""

    credential: Credential
    partner: Partner
    environment: str
    # A product lookup the gateway made together with the caller's: (query, answer).
    product: tuple[ProductQuery, ProductLookup | None] | None = None
    # When the answer is due (time.monotonic()): see deadline_from.
    deadline: float = field(default_factory=lambda: deadline_from(time.monotonic()))


def deadline_from(arrived: float) -> float:
    """The deadline of a call that arrived at ``arrived`` (time.monotonic()): the upstream
    gets what is left of API_DEADLINE_SECONDS."""
    return arrived + settings.API_DEADLINE_SECONDS


def deadline_passed(caller: Caller) -> bool:
    return time.monotonic() >= caller.deadline


def merchant_check(caller: Caller, merchant_id: str) -> None:
    if merchant_id != caller.credential.merchant_id:
        raise BadRequest("Field merchantID tidak sesuai dengan kredensial Anda")


def check_merchant(caller: Caller, body: dict) -> None:
    merchant_check(caller, fields.text(body, "merchantID"))


def product_for_sale(caller: Caller, query: ProductQuery) -> ProductLookup:
    """The product ``query.code`` if this partner may sell it here and now: rc 15 unknown,
    rc 41 not chosen (Development) or not live (Production), rc 10 under maintenance; with
    what else ``query`` asks (is the referenceID taken, its inquiry). Answered from the
    caller's statement when the gateway asked the same query there."""
    code = query.code
    if caller.product is not None and caller.product[0] == query:
        lookup = caller.product[1]
    else:
        lookup = product_lookup(
            query=query, partner=caller.partner, environment=caller.environment
        )
    if lookup is None:
        raise BadRequest(f"Produk {code} tidak dikenal", rc="15")
    if not product_sellable(state=lookup.partner_state, environment=caller.environment):
        if caller.environment == Environment.PRODUCTION:
            why = f"Produk {code} belum Aktif (live) untuk Anda di Production"
        else:
            why = f"Produk {code} belum Anda pilih di menu Produk"
        raise BadRequest(why, rc="41")
    product = lookup.product
    if product.status != Product.Status.ACTIVE:
        raise BadRequest(
            f"Produk {code} sedang {product.get_status_display().lower()}; "
            "coba lagi nanti",
            rc="10",
        )
    return lookup


def not_prepaid(product: Product) -> None:
    """Inquiry and Payment are for postpaid bills (rc 10 otherwise)."""
    if product.is_prepaid:
        raise BadRequest(
            f"Produk {product.code} adalah produk prabayar: gunakan SinglePayment",
            rc="10",
        )


def reply_reference_used(body: dict) -> dict:
    """rc 86: the referenceID is taken (found by the product lookup, or refused by the
    transaction's unique constraint when two calls race)."""
    return reply(
        "86",
        body,
        description=(
            "referenceID sudah digunakan; buat referenceID baru untuk transaksi baru, "
            "atau gunakan Check-Status untuk transaksi ini"
        ),
    )
