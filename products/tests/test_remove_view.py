import pytest

from portal.models import AuditEvent
from products.models import PartnerProduct
from products.tests.factories import PartnerProductFactory

State = PartnerProduct.State


def test_a_product_not_yet_live_is_removed_after_confirmation(
    owner_client, partner, pln_token
):
    chosen = PartnerProductFactory(partner=partner, product=pln_token)
    page = owner_client.get("/produk/produk-anda/").content.decode()
    assert (
        f'action="/produk/produk-anda/{chosen.pk}/hapus/" data-confirm="Hapus produk'
        in page
    )
    response = owner_client.post(f"/produk/produk-anda/{chosen.pk}/hapus/", follow=True)
    assert "dihapus dari daftar Anda" in response.content.decode()
    assert not PartnerProduct.objects.exists()
    event = AuditEvent.objects.get(action="partner_product.removed")
    assert event.before["product_code"] == "100312"
    # Removed products can be chosen again.
    html = owner_client.get("/produk/", {"category": "listrik"}).content.decode()
    assert 'value="100312"' in html


@pytest.mark.parametrize("state", [State.ACTIVE, State.LIVE_PENDING, State.UAT_PENDING])
def test_a_live_or_pending_product_cannot_be_removed(
    owner_client, partner, pln_token, state
):
    chosen = PartnerProductFactory(partner=partner, product=pln_token, state=state)
    page = owner_client.get("/produk/produk-anda/").content.decode()
    assert "/hapus/" not in page
    response = owner_client.post(f"/produk/produk-anda/{chosen.pk}/hapus/", follow=True)
    assert "tidak dapat dihapus" in response.content.decode()
    assert PartnerProduct.objects.filter(pk=chosen.pk).exists()


def test_removal_needs_a_post(owner_client, partner, pln_token):
    chosen = PartnerProductFactory(partner=partner, product=pln_token)
    assert (
        owner_client.get(f"/produk/produk-anda/{chosen.pk}/hapus/").status_code == 405
    )
    assert PartnerProduct.objects.filter(pk=chosen.pk).exists()
