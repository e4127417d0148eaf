"""The one domain error type of billing, and the refusals the Open API tells apart."""

from __future__ import annotations


class BillingError(Exception):
    """A refusal to show the user (or to map to an rc code); ``code`` tells callers which."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InsufficientDeposit(BillingError):
    """The balance is smaller than the amount to debit (the Open API answers rc 12)."""

    code = "insufficient_deposit"

    def __init__(self, message: str, *, balance: int, amount: int):
        super().__init__(message)
        self.balance = balance
        self.amount = amount


class DuplicateReference(BillingError):
    """The partner already used this referenceID in this environment (rc 86)."""

    code = "duplicate_reference"


class Withheld(BillingError):
    """The debit's guard (``ledger.DebitGuard``) found what it guards against: nothing was
    written (the Open API's rc 75)."""

    code = "withheld"
