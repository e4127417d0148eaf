"""The in-process simulator as an adapter: the default provider of ``make run`` and of the
unit tests (no network, no failure)."""

from __future__ import annotations

from collections.abc import Mapping

from billers.adapters.base import (
    BillerAnswer,
    Call,
    CallbackEvent,
    CallbackRejected,
    PriceRow,
)
from billers.simulator import SimulatorBackend


class SimulatorAdapter:
    def __init__(self, provider=None, environment: str = ""):
        self.provider = provider
        self.environment = environment
        self.backend = SimulatorBackend()

    def inquiry(self, call: Call) -> BillerAnswer:
        return self.backend.inquiry(
            product=call.product, customer_id=call.customer_id, periode=call.periode
        )

    def pay(self, call: Call) -> BillerAnswer:
        return self.backend.pay(
            product=call.product,
            customer_id=call.customer_id,
            amount=call.amount,
            reference=call.reference,
        )

    def status(self, call: Call) -> BillerAnswer:
        return self.backend.final(product=call.product, customer_id=call.customer_id)

    def balance(self) -> int:
        return 0

    def price_list(self) -> list[PriceRow]:
        return []

    def callback_parse(
        self, *, headers: Mapping[str, str], body: bytes
    ) -> CallbackEvent:
        raise CallbackRejected("the in-process simulator sends no callback")
