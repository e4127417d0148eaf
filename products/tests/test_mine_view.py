from products.models import PartnerProduct
from products.tests.factories import PartnerProductFactory, ProductFactory

State = PartnerProduct.State


def test_produk_anda_shows_each_state_and_the_reason(
    owner_client, partner, pln_postpaid, pln_token, telkomsel
):
    PartnerProductFactory(partner=partner, product=pln_postpaid, state=State.ACTIVE)
    PartnerProductFactory(
        partner=partner,
        product=pln_token,
        state=State.UAT_REJECTED,
        state_reason="Log response tidak lengkap.",
    )
    PartnerProductFactory(partner=partner, product=telkomsel)
    html = owner_client.get("/produk/produk-anda/").content.decode()
    assert "Aktif" in html
    assert "UAT ditolak" in html
    assert "Log response tidak lengkap." in html
    assert "Development" in html


def test_produk_anda_filters_by_category_and_state(
    owner_client, partner, pln_postpaid, pln_token, telkomsel
):
    PartnerProductFactory(partner=partner, product=pln_postpaid, state=State.ACTIVE)
    PartnerProductFactory(partner=partner, product=pln_token)
    PartnerProductFactory(partner=partner, product=telkomsel)
    html = owner_client.get(
        "/produk/produk-anda/", {"category": "listrik"}
    ).content.decode()
    assert 'data-product="100301"' in html and 'data-product="100312"' in html
    assert 'data-product="501021"' not in html
    html = owner_client.get(
        "/produk/produk-anda/", {"category": "listrik", "state": "aktif"}
    ).content.decode()
    assert 'data-product="100301"' in html
    assert 'data-product="100312"' not in html


def test_produk_anda_shows_only_the_partners_own_products(
    owner_client, partner, outsider, pln_token, telkomsel
):
    PartnerProductFactory(partner=outsider.partner, product=pln_token)
    PartnerProductFactory(partner=partner, product=telkomsel)
    html = owner_client.get("/produk/produk-anda/").content.decode()
    assert 'data-product="501021"' in html
    assert 'data-product="100312"' not in html


def test_the_query_count_stays_the_same_as_rows_grow(
    owner_client, partner, listrik, django_assert_max_num_queries
):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get("/produk/produk-anda/").status_code == 200
        return len(queries)

    for product in ProductFactory.create_batch(3, category=listrik):
        PartnerProductFactory(partner=partner, product=product)
    few = count_queries()
    for product in ProductFactory.create_batch(20, category=listrik):
        PartnerProductFactory(partner=partner, product=product)
    assert count_queries() == few


def test_produk_anda_is_paginated(owner_client, partner, listrik):
    for product in ProductFactory.create_batch(30, category=listrik):
        PartnerProductFactory(partner=partner, product=product)
    first = owner_client.get("/produk/produk-anda/").content.decode()
    second = owner_client.get("/produk/produk-anda/", {"page": 2}).content.decode()
    assert first.count("data-product=") == 25
    assert second.count("data-product=") == 5
    assert "Halaman 1 dari 2" in first


def test_the_page_links_keep_the_filters(owner_client, partner, listrik):
    for product in ProductFactory.create_batch(30, category=listrik):
        PartnerProductFactory(partner=partner, product=product)

    page = owner_client.get(
        "/produk/produk-anda/", {"state": PartnerProduct.State.DEVELOPMENT}
    ).content.decode()

    assert f'href="?state={PartnerProduct.State.DEVELOPMENT}&amp;page=2"' in page
