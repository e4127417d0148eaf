"""The one seam between us and an upstream provider: what an adapter is asked, what it
answers, and the two ways a call can fail.

Answers speak our own rc vocabulary (``openapi.rc``): an adapter maps its provider's statuses
to it. A payment's answer is 00 (success), an rc of the pending class (71: the provider took
it and will tell later) or a failure rc (17, 65, 64…). A status answer is 00, 17 or anything
else for "still pending".

The two failures decide where money may go:

- ``Refused``: the provider did not take the request (connection refused, HTTP 502/503,
  maintenance, "product closed"). Routing may try the next provider.
- ``Unknown``: the provider may have taken it (a timeout after the request was sent, a
  connection broken after sending, an answer we cannot read). A payment is never sent to a
  second provider: it becomes suspect and is asked again by status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class BillerAnswer:
    rc: str
    data: dict = field(default_factory=dict)
    # The provider's own reference of the transaction, when it gives one.
    provider_ref: str = ""


class UpstreamError(Exception):
    """A call that gave no answer. ``reason`` is short and safe to log (never a
    credential)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Refused(UpstreamError):
    """Not taken: safe to try the next provider."""


class Unknown(UpstreamError):
    """Maybe taken: never retry elsewhere; ask the same provider for the status."""


class CallbackRejected(Exception):
    """A provider callback that is not genuine (bad signature) or not readable."""


@dataclass(frozen=True)
class Call:
    """One request to a provider.

    ``reference`` is our reference of the call at the provider (unique per provider:
    ``WOA<environment letter><transaction id>`` for a payment); ``timeout`` the seconds
    the adapter may spend (what is left of the partner's deadline, at most the provider's
    own timeout)."""

    environment: str
    product: object
    provider_code: str
    customer_id: str
    reference: str
    timeout: float
    amount: int = 0
    periode: int | None = None
    provider_ref: str = ""


@dataclass(frozen=True)
class PriceRow:
    provider_code: str
    name: str
    price: int
    available: bool = True


@dataclass(frozen=True)
class CallbackEvent:
    """What a provider's callback says: the final status of our ``reference``."""

    reference: str
    answer: BillerAnswer


class Adapter(Protocol):
    """What every provider adapter implements. An adapter is made per provider and
    environment (``adapter_for`` in ``billers.adapters``)."""

    def inquiry(self, call: Call) -> BillerAnswer: ...

    def pay(self, call: Call) -> BillerAnswer: ...

    def status(self, call: Call) -> BillerAnswer: ...

    def balance(self) -> int: ...

    def price_list(self) -> list[PriceRow]: ...

    def callback_parse(
        self, *, headers: Mapping[str, str], body: bytes
    ) -> CallbackEvent: ...
