"""Daftar Produk (Gambar 33): choose a category and its products appear beside it."""

from django.urls import reverse

from products.tests.factories import CategoryFactory, ProductFactory


def test_page_lists_categories_and_the_first_categorys_products(docs_client):
    first = CategoryFactory(slug="asuransi", name="Asuransi", position=1)
    CategoryFactory(slug="listrik", name="Listrik", position=2)
    ProductFactory(code="900001", name="BPJS Kesehatan", category=first, postpaid=True)
    html = docs_client.get(reverse("docs_content:section", args=["daftar-produk"]))
    html = html.content.decode()
    assert 'data-category="asuransi"' in html and 'data-category="listrik"' in html
    assert 'data-products="asuransi"' in html
    assert "BPJS Kesehatan" in html and "Admin Rp 2.500" in html


def test_htmx_gets_only_the_product_table(docs_client):
    listrik = CategoryFactory(slug="listrik", name="Listrik")
    ProductFactory(
        code="100312", name="PLN Token 20.000", category=listrik, price=21500
    )
    ProductFactory(
        code="100322",
        name="PLN Token 50.000",
        category=listrik,
        price=51500,
        status="GANGGUAN",
    )
    url = reverse("docs_content:products", args=["listrik"])
    response = docs_client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="docsMenu"' not in html
    assert 'data-product="100312"' in html and "Rp 21.500" in html
    assert "Prabayar" in html and "Gangguan" in html


def test_without_htmx_the_whole_page_shows_the_chosen_category(docs_client):
    CategoryFactory(slug="asuransi", name="Asuransi", position=1)
    pdam = CategoryFactory(slug="pdam", name="PDAM", position=5)
    ProductFactory(
        code="400061", name="PDAM Kota Semarang", category=pdam, postpaid=True
    )
    response = docs_client.get(reverse("docs_content:products", args=["pdam"]))
    html = response.content.decode()
    assert 'id="docsMenu"' in html
    assert 'data-products="pdam"' in html and "PDAM Kota Semarang" in html


def test_history_restore_gets_the_whole_page(docs_client):
    CategoryFactory(slug="pdam", name="PDAM")
    response = docs_client.get(
        reverse("docs_content:products", args=["pdam"]),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert 'id="docsMenu"' in response.content.decode()


def test_unknown_category_is_404(docs_client):
    response = docs_client.get(
        reverse("docs_content:products", args=["tidak-ada"]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 404


def test_product_names_are_escaped(docs_client):
    voucher = CategoryFactory(slug="voucher-game", name="Voucher Game")
    ProductFactory(code="6805BE", name="<script>alert(1)</script>", category=voucher)
    url = reverse("docs_content:products", args=["voucher-game"])
    html = docs_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_product_table_needs_the_open_documentation(owner_client):
    CategoryFactory(slug="pdam", name="PDAM")
    url = reverse("docs_content:products", args=["pdam"])
    assert owner_client.get(url, headers={"HX-Request": "true"}).status_code == 403


def test_query_count_does_not_grow_with_products(
    docs_client, django_assert_max_num_queries
):
    pdam = CategoryFactory(slug="pdam", name="PDAM")
    url = reverse("docs_content:products", args=["pdam"])
    ProductFactory.create_batch(2, category=pdam, postpaid=True)
    with django_assert_max_num_queries(12) as few:
        docs_client.get(url, headers={"HX-Request": "true"})
    ProductFactory.create_batch(20, category=pdam, postpaid=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        docs_client.get(url, headers={"HX-Request": "true"})
