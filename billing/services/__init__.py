"""Every write of billing. The Open API uses ``deposit_balance``, ``transaction_create_paid``
and ``transaction_complete``; they raise ``BillingError`` (``InsufficientDeposit``,
``DuplicateReference``, ``Withheld`` by a ``DebitGuard``). Every move of a balance posts
through ``ledger.ledger_post``."""

from billing.selectors import deposit_balance
from billing.services.deposit import (
    SANDBOX_BALANCE_CAP,
    SANDBOX_TOPUP_AMOUNT,
    adjustment_create,
    adjustment_post,
    deposit_debit,
    deposit_reverse,
    deposit_sandbox_fund,
    topup_credit,
)
from billing.services.errors import (
    BillingError,
    DuplicateReference,
    InsufficientDeposit,
    Withheld,
)
from billing.services.ledger import DebitGuard
from billing.services.topup import (
    MAX_OPEN_TOPUPS,
    TOPUP_VALID_FOR,
    topup_expire_overdue,
    topup_proof_upload,
    topup_request,
)
from billing.services.transactions import (
    transaction_complete,
    transaction_create_paid,
    transaction_provider_set,
)

__all__ = [
    "MAX_OPEN_TOPUPS",
    "SANDBOX_BALANCE_CAP",
    "SANDBOX_TOPUP_AMOUNT",
    "TOPUP_VALID_FOR",
    "BillingError",
    "DebitGuard",
    "DuplicateReference",
    "InsufficientDeposit",
    "Withheld",
    "adjustment_create",
    "adjustment_post",
    "deposit_balance",
    "deposit_debit",
    "deposit_reverse",
    "deposit_sandbox_fund",
    "topup_credit",
    "topup_expire_overdue",
    "topup_proof_upload",
    "topup_request",
    "transaction_complete",
    "transaction_create_paid",
    "transaction_provider_set",
]
