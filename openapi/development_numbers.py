"""The documented development numbers: the simulated biller's outcomes as the
documentation's "Nomor Development" page lists them."""

from __future__ import annotations

from billers.simulator import (
    BPJS_CATEGORY,
    BPJS_MONTHS_OUTCOME,
    BPJS_MONTHS_SUFFIXES,
    OUTCOMES,
    STEMS,
)
from openapi.rc import Outcome, classify_payment, classify_status


def _status_rc(payment_rc: str, final_rc: str) -> str:
    """What Check-Status (and the callback) finally answers: 00 or 17."""
    outcome = classify_payment(payment_rc)
    if outcome == Outcome.PENDING:
        outcome = classify_status(final_rc)
    return "00" if outcome == Outcome.SUCCESS else "17"


def development_numbers() -> list[dict]:
    """The documented test numbers: one row per category and outcome, with the rc of the
    Inquiry (postpaid), of the first Payment/SinglePayment answer and the final rc (the
    Check-Status / callback answer), and the months billed (BPJS)."""
    rows = []
    for category, stem in STEMS.items():
        for suffix, (inquiry_rc, payment_rc, final_rc, text) in OUTCOMES.items():
            rows.append(
                {
                    "category": category,
                    "customer_id": stem + suffix,
                    "outcome": text,
                    "inquiry_rc": inquiry_rc,
                    "payment_rc": payment_rc,
                    "final_rc": _status_rc(payment_rc, final_rc),
                    "months": 1,
                }
            )
        if category == BPJS_CATEGORY:
            for months_code, months in BPJS_MONTHS_SUFFIXES.items():
                rows.append(
                    {
                        "category": category,
                        "customer_id": stem[:-2] + months_code + "01",
                        "outcome": BPJS_MONTHS_OUTCOME % {"months": months},
                        "inquiry_rc": "00",
                        "payment_rc": "00",
                        "final_rc": "00",
                        "months": months,
                    }
                )
    return rows
