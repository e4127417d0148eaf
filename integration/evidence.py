"""When is a UAT request's evidence complete?

The UAT result document is always required: the manual asks for it, and it is the partner's
own account of every test case (the template lists them), which no single API call replaces.

Each step the product is sold by (Inquiry and Payment for postpaid, Single Payment for
prepaid) must be shown, either by the uploaded evidence as the manual describes it (request
log, response log and a screenshot of the partner's application) or by the partner's own
Development calls of that step, attached from the API log: the server's record of what really
happened, which staff read instead of the partner's copy. An Inquiry counts only when it
succeeded (rc 00: a Payment can only follow a successful one); a Payment or Single Payment
counts whatever its rc, because the documented Development numbers deliberately end in
pending, failed or refused payments, and staff judge how the partner handled them.

The two ways may be mixed per step (Inquiry uploaded, Payment attached).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integration.models import UatEvidence

Kind = UatEvidence.Kind

INQUIRY_PATH = "/Services/Inquiry"
PAYMENT_PATH = "/Services/Payment"
SINGLE_PAYMENT_PATH = "/Services/SinglePayment"
CHECK_STATUS_PATH = "/Services/Check-Status"
# The calls that may be attached: the transaction services of one product.
ATTACHABLE_PATHS = (INQUIRY_PATH, PAYMENT_PATH, SINGLE_PAYMENT_PATH, CHECK_STATUS_PATH)
SUCCESS_RC = "00"


@dataclass(frozen=True)
class Step:
    """One step of selling a product, and the two ways to show it was tested."""

    name: str
    label: Promise
    kinds: tuple[str, ...]
    path: str
    success_only: bool
    call_hint: Promise

    def covered_by(self, path: str, rc: str) -> bool:
        return path == self.path and (not self.success_only or rc == SUCCESS_RC)


INQUIRY = Step(
    name="inquiry",
    label=_("Inquiry"),
    kinds=(Kind.INQUIRY_REQUEST, Kind.INQUIRY_RESPONSE, Kind.INQUIRY_SCREENSHOT),
    path=INQUIRY_PATH,
    success_only=True,
    call_hint=_("panggilan API Inquiry yang sukses (rc 00)"),
)
PAYMENT = Step(
    name="payment",
    label=_("Payment"),
    kinds=(Kind.PAYMENT_REQUEST, Kind.PAYMENT_RESPONSE, Kind.PAYMENT_SCREENSHOT),
    path=PAYMENT_PATH,
    success_only=False,
    call_hint=_("panggilan API Payment (rc apa pun)"),
)
SINGLE_PAYMENT = Step(
    name="single_payment",
    label=_("Single Payment"),
    kinds=PAYMENT.kinds,
    path=SINGLE_PAYMENT_PATH,
    success_only=False,
    call_hint=_("panggilan API SinglePayment (rc apa pun)"),
)


def steps(product) -> tuple[Step, ...]:
    """Prepaid products are sold by one Single Payment; postpaid by Inquiry then Payment."""
    if product.is_prepaid:
        return (SINGLE_PAYMENT,)
    return (INQUIRY, PAYMENT)


def required_kinds(product) -> tuple[str, ...]:
    """Everything to upload when no API call is attached (the manual's way)."""
    kinds: list[str] = [Kind.DOCUMENT]
    for step in steps(product):
        kinds.extend(kind for kind in step.kinds if kind not in kinds)
    return tuple(kinds)


@dataclass(frozen=True)
class Gaps:
    """What a UAT request still lacks: kinds to upload, and the steps not yet shown."""

    kinds: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.kinds)


def evidence_gaps(
    product, *, kinds: Iterable[str], calls: Iterable[tuple[str, str]]
) -> Gaps:
    """The gaps of evidence made of uploaded ``kinds`` and attached ``calls`` (path, rc)."""
    have = set(kinds)
    calls = list(calls)
    missing: list[str] = [] if Kind.DOCUMENT in have else [Kind.DOCUMENT]
    open_steps: list[Step] = []
    for step in steps(product):
        if any(step.covered_by(path, rc) for path, rc in calls):
            continue
        absent = [kind for kind in step.kinds if kind not in have]
        if absent:
            open_steps.append(step)
            missing.extend(absent)
    return Gaps(kinds=tuple(missing), steps=tuple(open_steps))


def step_coverage(product, *, kinds: Iterable[str], calls: Iterable[tuple[str, str]]):
    """For the review page: each step with how it is shown ("api", "upload" or None)."""
    have = set(kinds)
    calls = list(calls)
    rows = []
    for step in steps(product):
        if any(step.covered_by(path, rc) for path, rc in calls):
            rows.append((step, "api"))
        elif all(kind in have for kind in step.kinds):
            rows.append((step, "upload"))
        else:
            rows.append((step, None))
    return rows
