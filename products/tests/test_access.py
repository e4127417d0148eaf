import pytest

from portal.lib.access import Level, Menu
from products.models import PartnerProduct
from products.tests.factories import PartnerProductFactory
from products.tests.helpers import checkbox


def test_an_outsider_gets_404_on_another_partners_product(
    client, outsider, partner, pln_token
):
    chosen = PartnerProductFactory(partner=partner, product=pln_token)
    client.force_login(outsider)
    assert client.post(f"/produk/produk-anda/{chosen.pk}/hapus/").status_code == 404
    assert PartnerProduct.objects.filter(pk=chosen.pk).exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/produk/"),
        ("get", "/produk/produk-anda/"),
        ("post", "/produk/pilih/"),
        ("post", "/produk/produk-anda/1/hapus/"),
    ],
)
def test_a_sub_user_without_the_right_gets_403(client, sub_user, method, url):
    client.force_login(sub_user)
    assert getattr(client, method)(url).status_code == 403


def test_a_sub_user_with_view_right_sees_but_cannot_choose(client, sub_user, pln_token):
    sub_user.access_rights = {Menu.PRODUK: Level.VIEW}
    sub_user.save()
    client.force_login(sub_user)
    html = client.get("/produk/", {"category": "listrik"}).content.decode()
    assert 'value="100312"' in html
    assert " disabled" in checkbox(html, "100312")
    response = client.post(
        "/produk/pilih/", {"category": "listrik", "products": ["100312"]}
    )
    assert response.status_code == 403
    assert not PartnerProduct.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/produk/")
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]


def test_the_sidebar_links_the_produk_menu(owner_client):
    html = owner_client.get("/produk/").content.decode()
    assert 'href="/produk/"' in html
