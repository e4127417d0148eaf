"""What moves between us and the upstream providers (routing, status, callbacks)."""

from billers.services.callbacks import callback_read
from billers.services.routing import (
    RC_OUT_OF_TIME,
    PayResult,
    call_reference,
    inquiry_routed,
    pay_routed,
    routes_healthy,
    status_asked,
)

__all__ = [
    "RC_OUT_OF_TIME",
    "PayResult",
    "callback_read",
    "call_reference",
    "inquiry_routed",
    "pay_routed",
    "routes_healthy",
    "status_asked",
]
