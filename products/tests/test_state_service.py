import pytest

from portal.models import AuditEvent
from products import services
from products.models import PartnerProduct
from products.tests.factories import PartnerProductFactory

State = PartnerProduct.State


def test_the_state_moves_along_the_integration_flow(partner, staff, pln_token):
    PartnerProductFactory(partner=partner, product=pln_token)
    for state in (
        State.UAT_PENDING,
        State.UAT_APPROVED,
        State.LIVE_PENDING,
        State.ACTIVE,
    ):
        services.partner_product_state_set(
            partner=partner, product=pln_token, state=state, actor=staff
        )
    chosen = PartnerProduct.objects.get()
    assert chosen.state == State.ACTIVE
    assert (
        AuditEvent.objects.filter(action="partner_product.state_changed").count() == 4
    )


def test_a_jump_in_the_flow_is_refused(partner, staff, pln_token):
    PartnerProductFactory(partner=partner, product=pln_token)
    with pytest.raises(services.ProductError, match="tidak dapat diubah"):
        services.partner_product_state_set(
            partner=partner, product=pln_token, state=State.ACTIVE, actor=staff
        )
    assert PartnerProduct.objects.get().state == State.DEVELOPMENT


def test_an_unchosen_product_has_no_state_to_move(partner, staff, pln_token):
    with pytest.raises(services.ProductError, match="belum dipilih"):
        services.partner_product_state_set(
            partner=partner, product=pln_token, state=State.UAT_PENDING, actor=staff
        )
