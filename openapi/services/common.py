"""What every service shares: the authenticated caller and the checks of merchantID and
productID."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Partner
from openapi import fields
from openapi.fields import BadRequest
from openapi.selectors import (
    ProductLookup,
    ProductQuery,
    product_lookup,
    product_sellable,
)
from portal.lib.environments import Environment
from products.models import Product
from profiles.models import Credential


@dataclass
class Caller:
    """Who is calling, once the gateway has checked IP, Digest and session."""

    credential: Credential
    partner: Partner
    environment: str
    # A product lookup the gateway made together with the caller's: (query, answer).
    product: tuple[ProductQuery, ProductLookup | None] | None = None


@dataclass(frozen=True)
class ProductNeeds:
    """What a service will ask of the product named in its body, so that the gateway can
    ask it in the caller's statement (one round trip less)."""

    reference: bool = False
    inquiry: bool = False

    def ask(self, code: str, reference_id: str) -> ProductQuery:
        """The query of the service for a product and referenceID it has checked."""
        return ProductQuery(
            code, reference_id if self.reference else None, self.inquiry
        )

    def query(self, body: dict) -> ProductQuery | None:
        """The same query for a raw body (the gateway, before the service runs); None
        when the fields are not valid (the service then answers the error)."""
        try:
            code = fields.text(body, "productID")
            reference_id = fields.text(body, "referenceID") if self.reference else ""
        except BadRequest:
            return None
        return self.ask(code, reference_id)


def check_merchant(caller: Caller, body: dict) -> None:
    if fields.text(body, "merchantID") != caller.credential.merchant_id:
        raise BadRequest("Field merchantID tidak sesuai dengan kredensial Anda")


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
