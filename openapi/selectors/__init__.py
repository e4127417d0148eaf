"""Reads of the Open API: those of every call (``calls``, prepared SQL) and those of the
Log API page (``logs``)."""

from openapi.selectors.calls import (
    CallerRow,
    InquiryRow,
    ProductLookup,
    ProductQuery,
    TransactionState,
    caller_for,
    ip_in_whitelist,
    payment_conflict,
    product_lookup,
    product_sellable,
    transaction_state,
)
from openapi.selectors.logs import LogFilters, api_logs

__all__ = [
    "CallerRow",
    "InquiryRow",
    "LogFilters",
    "ProductLookup",
    "ProductQuery",
    "TransactionState",
    "api_logs",
    "caller_for",
    "ip_in_whitelist",
    "payment_conflict",
    "product_lookup",
    "product_sellable",
    "transaction_state",
]
