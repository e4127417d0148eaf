"""Money of the partner portal: deposit accounts and their append-only ledger, top-ups, staff
adjustments and the transactions the Open API records."""

from billing.models.deposit import (
    DepositAccount,
    DepositAdjustment,
    LedgerEntry,
    LedgerImmutableError,
)
from billing.models.topup import BankAccount, TopUp
from billing.models.transaction import Transaction

__all__ = [
    "BankAccount",
    "DepositAccount",
    "DepositAdjustment",
    "LedgerEntry",
    "LedgerImmutableError",
    "TopUp",
    "Transaction",
]
