"""Writes of the Integrasi menu: submitting a UAT request and a live request."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from integration import selectors
from integration.models import LiveRequest, UatEvidence, UatRequest
from portal.lib.audit import audit_record
from portal.lib.review import ReviewStatus, review_resubmit
from products import selectors as product_selectors
from products import services as product_services
from products.models import PartnerProduct, Product

Kind = UatEvidence.Kind
State = PartnerProduct.State

# The evidence every UAT needs; Inquiry does not exist for prepaid products (they are sold
# by a single payment), so it is required only for postpaid ones.
REQUIRED_ALWAYS = (
    Kind.DOCUMENT,
    Kind.PAYMENT_REQUEST,
    Kind.PAYMENT_RESPONSE,
    Kind.PAYMENT_SCREENSHOT,
)
REQUIRED_POSTPAID = (
    Kind.INQUIRY_REQUEST,
    Kind.INQUIRY_RESPONSE,
    Kind.INQUIRY_SCREENSHOT,
)
LOG_KINDS = (
    Kind.INQUIRY_REQUEST,
    Kind.INQUIRY_RESPONSE,
    Kind.PAYMENT_REQUEST,
    Kind.PAYMENT_RESPONSE,
)


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
    if product.is_prepaid:
        return REQUIRED_ALWAYS
    return REQUIRED_ALWAYS + REQUIRED_POSTPAID


def _require_active(partner: Partner) -> None:
    notice = product_selectors.partner_notice(partner)
    if notice:
        raise IntegrationError(notice)


def _locked_state(partner: Partner, product: Product) -> str | None:
    """The partner's state of ``product``, with its row locked until the transaction ends
    (two submissions of the same product wait for each other)."""
    return (
        PartnerProduct.objects.select_for_update()
        .filter(partner=partner, product=product)
        .values_list("state", flat=True)
        .first()
    )


def _move(*, partner: Partner, product: Product, state: str, actor, ip) -> None:
    try:
        product_services.partner_product_state_set(
            partner=partner, product=product, state=state, actor=actor, ip=ip
        )
    except product_services.ProductError as exc:
        raise IntegrationError(exc.message) from exc


def uat_request_submit(
    *,
    partner: Partner,
    product: Product,
    evidence: dict[str, Evidence],
    actor,
    ip: str | None = None,
) -> UatRequest:
    """File the UAT of ``product`` (or correct and resend a rejected one).

    Only for a product the partner chose and whose UAT is neither pending nor approved. Every
    required piece of evidence must be given, or kept from the rejected request being
    corrected. Evidence, request and product state are saved together or not at all.
    """
    _require_active(partner)
    with transaction.atomic():
        state = _locked_state(partner, product)
        if state is None:
            raise IntegrationError(
                _("Produk %(product)s belum Anda pilih di menu Produk.")
                % {"product": product}
            )
        if state not in selectors.UAT_OPEN_STATES:
            raise IntegrationError(
                _(
                    "Request UAT produk %(product)s tidak dapat diajukan: status %(state)s."
                )
                % {"product": product, "state": State(state).label}
            )
        uat = (
            UatRequest.objects.select_for_update()
            .filter(partner=partner, product=product)
            .first()
        )
        kept = set(uat.evidence.values_list("kind", flat=True)) if uat else set()
        given = {
            kind: item for kind, item in evidence.items() if item.file or item.text
        }
        missing = [
            kind for kind in required_kinds(product) if kind not in given.keys() | kept
        ]
        if missing:
            raise IntegrationError(
                _("Lengkapi dokumen UAT: %(list)s.")
                % {"list": ", ".join(str(Kind(kind).label) for kind in missing)},
                errors={kind: _("Wajib diisi untuk produk ini.") for kind in missing},
            )
        if uat is None:
            uat = UatRequest.objects.create(
                partner=partner,
                product=product,
                created_by=actor,
                submitted_at=timezone.now(),
            )
            audit_record(
                action="uat.submitted",
                actor=actor,
                partner=partner,
                subject=uat,
                after={
                    "review_status": uat.review_status,
                    "product_code": product.code,
                },
                ip=ip,
            )
        else:
            review_resubmit(subject=uat, actor=actor, ip=ip)
        for kind, item in given.items():
            _evidence_store(uat=uat, kind=kind, item=item)
        _move(
            partner=partner,
            product=product,
            state=State.UAT_PENDING,
            actor=actor,
            ip=ip,
        )
    return uat


def _evidence_store(*, uat: UatRequest, kind: str, item: Evidence) -> None:
    row = UatEvidence.objects.filter(uat_request=uat, kind=kind).first()
    if row is None:
        row = UatEvidence(uat_request=uat, kind=kind)
    old_name = row.file.name if row.file else ""
    row.text = item.text if item.file is None else ""
    if item.file is not None:
        row.file.save(item.file.name, item.file, save=False)
    else:
        row.file = ""
    row.save()
    if old_name:
        storage = row.file.storage
        # Only once the new evidence is committed; a rollback keeps the old file.
        transaction.on_commit(lambda: storage.delete(old_name))


def live_request_submit(
    *, uat_request: UatRequest, actor, ip: str | None = None
) -> LiveRequest:
    """Ask to sell the product of an approved UAT in Production.

    Refused until the UAT is approved and while the partner has no approved Production IP
    (the Production API would refuse every call). A rejected live request is sent again.
    """
    partner = uat_request.partner
    product = uat_request.product
    _require_active(partner)
    with transaction.atomic():
        uat = UatRequest.objects.select_for_update().get(pk=uat_request.pk)
        if uat.review_status != ReviewStatus.APPROVED:
            raise IntegrationError(
                _(
                    "Request Live produk %(product)s belum dapat diajukan: Request UAT "
                    "belum disetujui."
                )
                % {"product": product}
            )
        state = _locked_state(partner, product)
        if state not in selectors.LIVE_OPEN_STATES:
            label = State(state).label if state else _("tidak ada di Produk Anda")
            raise IntegrationError(
                _(
                    "Request Live produk %(product)s tidak dapat diajukan: status %(state)s."
                )
                % {"product": product, "state": label}
            )
        if not selectors.production_ip_approved(partner=partner):
            raise IntegrationError(
                _(
                    "Request Live belum dapat diproses: belum ada IP Address Production yang "
                    "disetujui. Tambahkan IP server Production Anda di menu Koneksi dan "
                    "tunggu persetujuan, lalu ajukan kembali."
                )
            )
        live = LiveRequest.objects.filter(uat_request=uat).first()
        if live is None:
            live = LiveRequest.objects.create(
                partner=partner,
                product=product,
                uat_request=uat,
                created_by=actor,
                submitted_at=timezone.now(),
            )
            audit_record(
                action="live.submitted",
                actor=actor,
                partner=partner,
                subject=live,
                after={
                    "review_status": live.review_status,
                    "product_code": product.code,
                },
                ip=ip,
            )
        else:
            review_resubmit(subject=live, actor=actor, ip=ip)
        _move(
            partner=partner,
            product=product,
            state=State.LIVE_PENDING,
            actor=actor,
            ip=ip,
        )
    return live
