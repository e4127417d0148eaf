"""The body of a payment service, parsed and validated once into a typed command.

The gateway reads the body before the caller's statement (which also answers the product
lookup the command names) and hands the command to the service; a body that is not valid
is answered with its first error, in the order the fields are read, once the caller has
been let in. ``merchantID`` is read first and compared with the caller's credential before
any later field's error is told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from openapi import fields
from openapi.fields import BadRequest
from openapi.selectors import ProductQuery
from openapi.services.common import Caller, merchant_check


class Amounts(NamedTuple):
    """The amounts of a payment, in whole rupiah."""

    tagihan: int
    admin: int
    total: int


@dataclass(frozen=True)
class InquiryCommand:
    product: ProductQuery
    customer_id: str
    reference_id: str
    periode: int | None


@dataclass(frozen=True)
class PaymentCommand:
    """Payment (``product.with_inquiry``) or SinglePayment."""

    product: ProductQuery
    customer_id: str
    reference_id: str
    amounts: Amounts


@dataclass(frozen=True)
class StatusCommand:
    product_code: str
    customer_id: str
    reference_id: str
    day: date


Command = InquiryCommand | PaymentCommand | StatusCommand
Parse = Callable[[dict], Command]


def _identifiers(body: dict) -> tuple[str, str, str]:
    return (
        fields.text(body, "productID"),
        fields.text(body, "customerID"),
        fields.text(body, "referenceID"),
    )


def _amounts(body: dict) -> Amounts:
    return Amounts(
        fields.amount(body, "tagihan"),
        fields.amount(body, "admin"),
        fields.amount(body, "total"),
    )


def inquiry_parse(body: dict) -> InquiryCommand:
    code, customer_id, reference_id = _identifiers(body)
    return InquiryCommand(
        product=ProductQuery(code, reference_id),
        customer_id=customer_id,
        reference_id=reference_id,
        periode=fields.periode(body),
    )


def payment_parse(body: dict) -> PaymentCommand:
    code, customer_id, reference_id = _identifiers(body)
    return PaymentCommand(
        product=ProductQuery(code, reference_id, with_inquiry=True),
        customer_id=customer_id,
        reference_id=reference_id,
        amounts=_amounts(body),
    )


def single_payment_parse(body: dict) -> PaymentCommand:
    code, customer_id, reference_id = _identifiers(body)
    return PaymentCommand(
        product=ProductQuery(code, reference_id),
        customer_id=customer_id,
        reference_id=reference_id,
        amounts=_amounts(body),
    )


def status_parse(body: dict) -> StatusCommand:
    code, customer_id, reference_id = _identifiers(body)
    return StatusCommand(
        product_code=code,
        customer_id=customer_id,
        reference_id=reference_id,
        day=fields.day(body, "tglTransaksi"),
    )


@dataclass(frozen=True)
class Parsed:
    """A body read by ``command_read``: its ``merchantID`` (None when that field is the
    error) and the command, or the first error of the fields after it."""

    merchant_id: str | None
    outcome: Command | BadRequest

    @property
    def product(self) -> ProductQuery | None:
        """The product lookup the command will ask (for the caller's statement)."""
        return getattr(self.outcome, "product", None)

    def command_for(self, caller: Caller) -> Command:
        """The command, once ``merchantID`` matches the caller; else the error."""
        if self.merchant_id is not None:
            merchant_check(caller, self.merchant_id)
        if isinstance(self.outcome, BadRequest):
            raise self.outcome
        return self.outcome


def command_read(parse: Parse, body: dict) -> Parsed:
    try:
        merchant_id = fields.text(body, "merchantID")
    except BadRequest as exc:
        return Parsed(None, exc)
    try:
        return Parsed(merchant_id, parse(body))
    except BadRequest as exc:
        return Parsed(merchant_id, exc)
