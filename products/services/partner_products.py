"""A partner's chosen products (Tambah Produk, Produk Anda) and the state each one moves
through on its way to Aktif."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from portal.lib.audit import audit_record, snapshot
from products.models import PartnerProduct, Product
from products.services.errors import ProductError

State = PartnerProduct.State

# Where a chosen product may go next; anything else is a bug in the caller.
TRANSITIONS: dict[str, set[str]] = {
    State.DEVELOPMENT: {State.UAT_PENDING},
    State.UAT_PENDING: {State.UAT_APPROVED, State.UAT_REJECTED},
    State.UAT_REJECTED: {State.UAT_PENDING},
    State.UAT_APPROVED: {State.LIVE_PENDING},
    State.LIVE_PENDING: {State.ACTIVE, State.LIVE_REJECTED},
    State.LIVE_REJECTED: {State.LIVE_PENDING},
    State.ACTIVE: set(),
}


def partner_products_choose(
    *, partner: Partner, products: Iterable[Product], actor, ip: str | None = None
) -> int:
    """Add products to the partner's list (state Development); returns how many were added.

    Only an active partner may choose, only AKTIF products may be chosen, and either every
    product of the request is added or none is. Products already chosen are left as they are.
    """
    products = list(products)
    if partner.status != Partner.Status.ACTIVE:
        raise ProductError(
            _(
                "Produk hanya dapat dipilih setelah akun mitra aktif (status saat ini: %(s)s)."
            )
            % {"s": partner.get_status_display()}
        )
    if not products:
        raise ProductError(_("Pilih minimal satu produk terlebih dahulu."))
    with transaction.atomic():
        fresh = list(
            Product.objects.filter(pk__in=[p.pk for p in products]).order_by("code")
        )
        blocked = [product for product in fresh if not product.is_active]
        if blocked:
            raise ProductError(
                _(
                    "Produk berikut sedang tidak aktif dan belum dapat dipilih: %(list)s."
                )
                % {
                    "list": ", ".join(
                        f"{product} ({product.get_status_display()})"
                        for product in blocked
                    )
                }
            )
        chosen = set(
            PartnerProduct.objects.filter(
                partner=partner, product__in=fresh
            ).values_list("product_id", flat=True)
        )
        new = [product for product in fresh if product.pk not in chosen]
        PartnerProduct.objects.bulk_create(
            [PartnerProduct(partner=partner, product=product) for product in new],
            ignore_conflicts=True,
        )
        if new:
            audit_record(
                action="partner_product.chosen",
                actor=actor,
                partner=partner,
                subject=partner,
                after={"products": [product.code for product in new]},
                ip=ip,
            )
    return len(new)


def partner_product_remove(
    *, partner_product: PartnerProduct, actor, ip: str | None = None
) -> None:
    """Remove a product from the partner's list; refused while a review is open or it is live."""
    with transaction.atomic():
        locked = (
            PartnerProduct.objects.select_for_update()
            .select_related("product")
            .get(pk=partner_product.pk)
        )
        if not locked.is_removable:
            raise ProductError(
                _("Produk %(product)s berstatus %(state)s dan tidak dapat dihapus.")
                % {"product": locked.product, "state": locked.get_state_display()}
            )
        before = snapshot(locked)
        before["product_code"] = locked.product.code
        audit_record(
            action="partner_product.removed",
            actor=actor,
            partner=locked.partner,
            subject=locked,
            before=before,
            ip=ip,
        )
        locked.delete()


def partner_product_state_set(
    *,
    partner: Partner,
    product: Product,
    state: str,
    reason: str = "",
    actor=None,
    ip: str | None = None,
) -> PartnerProduct:
    """Move a chosen product to ``state`` (called by the integration app's services and review
    hooks, inside their transaction). Refuses a product that is not chosen or a move that the
    integration flow does not allow."""
    state = State(state)
    with transaction.atomic():
        try:
            locked = PartnerProduct.objects.select_for_update().get(
                partner=partner, product=product
            )
        except PartnerProduct.DoesNotExist:
            raise ProductError(
                _("Produk %(product)s belum dipilih di menu Produk.")
                % {"product": product}
            ) from None
        if state not in TRANSITIONS[locked.state]:
            raise ProductError(
                _(
                    "Status produk %(product)s tidak dapat diubah dari %(from)s ke %(to)s."
                )
                % {
                    "product": product,
                    "from": locked.get_state_display(),
                    "to": state.label,
                }
            )
        before = {"state": locked.state, "state_reason": locked.state_reason}
        locked.state = state
        locked.state_reason = reason
        locked.state_changed_at = timezone.now()
        locked.save(update_fields=["state", "state_reason", "state_changed_at"])
        audit_record(
            action="partner_product.state_changed",
            actor=actor,
            partner=partner,
            subject=locked,
            before=before,
            after={
                "state": state,
                "state_reason": reason,
                "product_code": product.code,
            },
            ip=ip,
        )
    return locked
