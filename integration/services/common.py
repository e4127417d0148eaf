"""What every write of the Integrasi menu shares: its error, the evidence handed over by the
form, and the checks on the partner and its product."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Partner
from integration import evidence as evidence_rules
from integration.models import LiveRequest, ProductReview, UatEvidence, UatRequest
from portal.lib.audit import audit_record
from portal.lib.review import ReviewError, review_handlers_register, review_resubmit
from products import selectors as product_selectors
from products import services as product_services
from products.models import PartnerProduct, Product

Kind = UatEvidence.Kind
Request = TypeVar("Request", UatRequest, LiveRequest)
State = PartnerProduct.State

LOG_KINDS = (
    Kind.INQUIRY_REQUEST,
    Kind.INQUIRY_RESPONSE,
    Kind.PAYMENT_REQUEST,
    Kind.PAYMENT_RESPONSE,
)
# At most this many API calls per UAT request: enough for every documented Development
# number of a product, few enough for staff to read.
MAX_CALLS = 50
# The form field that carries the attached calls; errors about them are given to it.
CALLS_FIELD = "api_calls"


class IntegrationError(Exception):
    """A refusal to show the partner; ``errors`` maps evidence kinds to what is missing."""

    def __init__(self, message: str, *, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence as the form hands it over: a checked file, or pasted text."""

    file: ContentFile | None = None
    text: str = ""


def required_kinds(product: Product) -> tuple[str, ...]:
    """Everything to upload when no API call is attached (the manual's way)."""
    return evidence_rules.required_kinds(product)


def require_active(partner: Partner) -> None:
    notice = product_selectors.partner_notice(partner)
    if notice:
        raise IntegrationError(notice)


def locked_state(partner: Partner, product: Product) -> str | None:
    """The partner's state of ``product``, with its row locked until the transaction ends
    (two submissions of the same product wait for each other)."""
    return (
        PartnerProduct.objects.select_for_update()
        .filter(partner=partner, product=product)
        .values_list("state", flat=True)
        .first()
    )


def product_move(*, partner: Partner, product: Product, state: str, actor, ip) -> None:
    try:
        product_services.partner_product_state_set(
            partner=partner, product=product, state=state, actor=actor, ip=ip
        )
    except product_services.ProductError as exc:
        raise IntegrationError(exc.message) from exc


def request_file(
    *,
    model: type[Request],
    existing: Request | None,
    partner: Partner,
    product: Product,
    actor,
    ip: str | None,
    **fields,
) -> Request:
    """File a new request of ``model`` (audited as ``<review_action>.submitted``), or send
    ``existing``, a rejected one, again. Call inside the submission's transaction."""
    if existing is not None:
        review_resubmit(subject=existing, actor=actor, ip=ip)
        return existing
    request = model._default_manager.create(
        partner=partner,
        product=product,
        created_by=actor,
        submitted_at=timezone.now(),
        **fields,
    )
    audit_record(
        action=f"{model.review_action}.submitted",
        actor=actor,
        partner=partner,
        subject=request,
        after={"review_status": request.review_status, "product_code": product.code},
        ip=ip,
    )
    return request


def _product_move(
    *, subject: ProductReview, state: str, actor, reason: str = ""
) -> None:
    try:
        product_services.partner_product_state_set(
            partner=subject.partner,
            product=subject.product,
            state=state,
            reason=reason,
            actor=actor,
        )
    except product_services.ProductError as exc:
        # Rolls the whole decision back: it would contradict the partner's product list.
        raise ReviewError(exc.message) from exc


def _review_approved(*, subject: ProductReview, actor) -> None:
    _product_move(subject=subject, state=subject.approved_state, actor=actor)


def _review_rejected(*, subject: ProductReview, actor) -> None:
    _product_move(
        subject=subject,
        state=subject.rejected_state,
        actor=actor,
        reason=subject.review_reason,
    )


for _model in (UatRequest, LiveRequest):
    review_handlers_register(
        _model, on_approved=_review_approved, on_rejected=_review_rejected
    )
