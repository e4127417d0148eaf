"""What each Open API service does once the caller is known (see ``openapi.gateway``).

Every service takes the authenticated ``Caller`` and the parsed JSON body and returns the
answer (a dict); the payment services and Check-Status also take their body as a typed
command (``commands``), parsed once by the gateway. A ``fields.BadRequest`` becomes an
answer with its rc. Money moves only through ``billing.services``.
"""

from openapi.services.catalogue import (
    active_product,
    deposit,
    price_by_product,
    product_list,
    pulsa_prices,
)
from openapi.services.common import Caller
from openapi.services.inquiry import inquiry
from openapi.services.payments import payment, single_payment
from openapi.services.pending import (
    pending_callback,
    pending_record,
    pending_resolve_now,
    pending_sweep,
    schedule_resolution,
)
from openapi.services.signon import (
    SIGNON_DAILY_LIMIT,
    end_of_wib_day,
    sign_on,
    signon_counter_reset,
)
from openapi.services.status import check_status

__all__ = [
    "SIGNON_DAILY_LIMIT",
    "Caller",
    "active_product",
    "check_status",
    "deposit",
    "end_of_wib_day",
    "inquiry",
    "payment",
    "pending_callback",
    "pending_record",
    "pending_resolve_now",
    "pending_sweep",
    "price_by_product",
    "product_list",
    "pulsa_prices",
    "schedule_resolution",
    "sign_on",
    "signon_counter_reset",
    "single_payment",
]
