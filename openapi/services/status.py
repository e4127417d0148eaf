"""Check-Status: the current state of a Payment/SinglePayment."""

from __future__ import annotations

from django.utils import timezone

from openapi import rc
from openapi.fields import reply
from openapi.selectors import transaction_state
from openapi.services.commands import StatusCommand
from openapi.services.common import Caller
from openapi.services.payments import STATUS_LABEL


def check_status(caller: Caller, command: StatusCommand, body: dict) -> dict:
    """The current state of a Payment/SinglePayment: 00 success, 17 failed, 71 pending."""
    product_id, customer_id = command.product_code, command.customer_id
    reference_id, day = command.reference_id, command.day
    txn = transaction_state(
        partner=caller.partner,
        environment=caller.environment,
        reference_id=reference_id,
    )
    if (
        txn is None
        or timezone.localtime(txn.created_at).date() != day
        or txn.product_code != product_id
        or txn.customer_number != customer_id
    ):
        return reply(
            "19",
            body,
            description=(
                f"Transaksi referenceID {reference_id} dengan productID {product_id} dan "
                f"customerID {customer_id} pada {day.isoformat()} tidak ditemukan"
            ),
        )
    code = {"sukses": "00", "gagal": "17"}.get(txn.status, "71")
    description = rc.describe(code)
    if code != "71" and txn.response.get("description"):
        description = txn.response["description"]
    data = dict(txn.response.get("data") or {})
    data["status"] = STATUS_LABEL.get(txn.status, "PENDING")
    return reply(code, body, description=description, data=data)
