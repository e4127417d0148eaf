"""Reads of the Open API: who is calling (``caller``, one statement made of the owning apps'
rules), the product of a payment service (``products``), the transactions it reads
(``transactions``) and the Log API page (``logs``)."""

from openapi.selectors.caller import CallerRow, caller_for
from openapi.selectors.logs import LogFilters, api_logs
from openapi.selectors.products import (
    InquiryRow,
    ProductLookup,
    ProductQuery,
    product_lookup,
)
from openapi.selectors.transactions import (
    TransactionState,
    same_payment_made,
    same_payment_query,
    transaction_state,
)

__all__ = [
    "CallerRow",
    "InquiryRow",
    "LogFilters",
    "ProductLookup",
    "ProductQuery",
    "TransactionState",
    "api_logs",
    "caller_for",
    "product_lookup",
    "same_payment_made",
    "same_payment_query",
    "transaction_state",
]
