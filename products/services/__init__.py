"""Writes of the catalogue (``catalogue``, ``prices``) and of partners' chosen products
(``partner_products``). Every refusal is a ``ProductError``."""

from products.services.catalogue import (
    CATALOGUE_FILE,
    CATEGORIES_FILE,
    DATA_DIR,
    CatalogueLoadResult,
    catalogue_load,
    product_save,
    product_status_set,
)
from products.services.errors import ProductError
from products.services.partner_products import (
    TRANSITIONS,
    partner_product_remove,
    partner_product_state_set,
    partner_products_choose,
)
from products.services.prices import PriceImportResult, product_prices_import

__all__ = [
    "CATALOGUE_FILE",
    "CATEGORIES_FILE",
    "DATA_DIR",
    "TRANSITIONS",
    "CatalogueLoadResult",
    "PriceImportResult",
    "ProductError",
    "catalogue_load",
    "partner_product_remove",
    "partner_product_state_set",
    "partner_products_choose",
    "product_prices_import",
    "product_save",
    "product_status_set",
]
