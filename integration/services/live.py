"""Request Live: asking to sell the product of an approved UAT in Production."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from integration import selectors
from integration.models import LiveRequest, UatRequest
from integration.services.common import (
    IntegrationError,
    State,
    locked_state,
    product_move,
    request_file,
    require_active,
)
from portal.lib.review import ReviewStatus


def live_request_submit(
    *, uat_request: UatRequest, actor, ip: str | None = None
) -> LiveRequest:
    """Ask to sell the product of an approved UAT in Production.

    Refused until the UAT is approved and while the partner has no approved Production IP
    (the Production API would refuse every call). A rejected live request is sent again.
    """
    partner = uat_request.partner
    product = uat_request.product
    require_active(partner)
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
        state = locked_state(partner, product)
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
        live = request_file(
            model=LiveRequest,
            existing=LiveRequest.objects.filter(uat_request=uat).first(),
            partner=partner,
            product=product,
            actor=actor,
            ip=ip,
            uat_request=uat,
        )
        product_move(
            partner=partner,
            product=product,
            state=State.LIVE_PENDING,
            actor=actor,
            ip=ip,
        )
    return live
