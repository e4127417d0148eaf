"""Reads of the Integrasi menu: UAT and live requests, and what may be requested next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Partner
from connections.selectors import has_approved_entry
from integration.evidence import ATTACHABLE_PATHS
from integration.models import UatEvidenceCall, UatRequest
from openapi.models import ApiLog
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus
from products.models import PartnerProduct, Product

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ProductState(TypedDict):
    """What ``_with_product_state`` annotates on a UAT request, for the type checker."""

    product_state: str | None


# A UAT may be (re)submitted while the product is in one of these states.
UAT_OPEN_STATES = (PartnerProduct.State.DEVELOPMENT, PartnerProduct.State.UAT_REJECTED)
# Request Live may be (re)sent while the product is in one of these states.
LIVE_OPEN_STATES = (
    PartnerProduct.State.UAT_APPROVED,
    PartnerProduct.State.LIVE_REJECTED,
)


def uat_products(*, partner: Partner, category: str | None = None) -> QuerySet[Product]:
    """The partner's chosen products without an approved or pending UAT (Tambah)."""
    products = Product.objects.select_related("category").filter(
        partner_products__partner=partner,
        partner_products__state__in=UAT_OPEN_STATES,
    )
    if category:
        products = products.filter(category__slug=category)
    return products.order_by("category__position", "code")


def _with_product_state(requests: QuerySet) -> QuerySet:
    state = PartnerProduct.objects.filter(
        partner=OuterRef("partner"), product=OuterRef("product")
    ).values("state")[:1]
    return requests.annotate(product_state=Subquery(state))


def uat_requests(*, partner: Partner) -> QuerySet[UatRequest]:
    """The partner's UAT requests, each with its product, live request and ``product_state``
    (the partner's current state of the product; None once it was removed)."""
    return _with_product_state(
        UatRequest.objects.filter(partner=partner).select_related(
            "product", "product__category", "live_request"
        )
    ).order_by("-submitted_at", "-id")


def live_candidates(*, partner: Partner) -> QuerySet[UatRequest]:
    """Approved UATs: the rows of the Request Live tab, with their live request if any."""
    return uat_requests(partner=partner).filter(review_status=ReviewStatus.APPROVED)


def can_request_live(uat_request: WithAnnotations[UatRequest, _ProductState]) -> bool:
    """Does the row get a Request Live button? (Needs ``product_state`` from the selectors.)"""
    return uat_request.is_approved and uat_request.product_state in LIVE_OPEN_STATES


def can_resubmit_uat(uat_request: WithAnnotations[UatRequest, _ProductState]) -> bool:
    """May the UAT be corrected and sent again? (Needs ``product_state``.)"""
    return uat_request.product_state in UAT_OPEN_STATES


def production_ip_approved(*, partner: Partner) -> bool:
    """Has the partner an approved Production IP (Koneksi)? Request Live needs one."""
    return has_approved_entry(partner=partner, environment=Environment.PRODUCTION)


# --- API calls as UAT evidence ------------------------------------------------------------

# How many of the partner's latest calls of a product the form offers to attach.
RECENT_CALLS = 50


def development_calls(
    *, partner: Partner, product: Product, exclude: Iterable[int] = ()
) -> QuerySet[ApiLog]:
    """The partner's latest Development calls of ``product``'s transaction services (Inquiry,
    Payment, SinglePayment, Check-Status), newest first, at most ``RECENT_CALLS``, without
    their bodies; ``exclude``: API log ids already attached."""
    rows = ApiLog.objects.filter(
        partner=partner,
        environment=Environment.DEVELOPMENT,
        product_code=product.code,
        path__in=ATTACHABLE_PATHS,
    )
    exclude = list(exclude)
    if exclude:
        rows = rows.exclude(pk__in=exclude)
    return rows.defer("request", "response").order_by("-created_at", "-id")[
        :RECENT_CALLS
    ]


def partner_calls(*, partner: Partner, ids: Iterable[int]) -> dict[int, ApiLog]:
    """The partner's own API log rows among ``ids`` (another partner's id is simply absent)."""
    return {row.pk: row for row in ApiLog.objects.filter(partner=partner, pk__in=ids)}


def attached_calls(*, uat_request: UatRequest) -> QuerySet[UatEvidenceCall]:
    """The calls attached to a UAT request, as copied when attached, oldest call first."""
    return UatEvidenceCall.objects.filter(uat_request=uat_request).order_by(
        "called_at", "id"
    )
