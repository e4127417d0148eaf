from accounts.models import Partner
from portal.models import AuditEvent
from products.models import PartnerProduct, Product
from products.tests.factories import ProductFactory
from products.tests.helpers import checkbox


def test_choosing_a_category_returns_its_products_as_a_partial(
    owner_client, pln_postpaid, pln_token, telkomsel
):
    response = owner_client.get(
        "/produk/", {"category": "listrik"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'value="100301"' in html
    assert 'value="100312"' in html
    assert "501021" not in html
    assert "Rp 21.500" in html
    assert "Admin Rp 2.500" in html


def test_the_full_page_shows_the_drop_down_and_the_list(owner_client, pln_token):
    html = owner_client.get("/produk/", {"category": "listrik"}).content.decode()
    assert 'hx-get="/produk/"' in html
    assert "Tambah Produk" in html and "Produk Anda" in html
    assert 'name="products" value="100312"' in html


def test_simpan_stores_the_checked_products_and_lists_the_rest(
    owner_client, partner, pln_postpaid, pln_token
):
    response = owner_client.post(
        "/produk/pilih/", {"category": "listrik", "products": ["100312"]}, follow=True
    )
    html = response.content.decode()
    assert "Data berhasil disimpan" in html
    assert 'value="100312"' not in html
    assert 'value="100301"' in html
    chosen = PartnerProduct.objects.get(partner=partner)
    assert (chosen.product, chosen.state) == (pln_token, "development")
    event = AuditEvent.objects.get(action="partner_product.chosen")
    assert event.after == {"products": ["100312"]}


def test_simpan_without_a_product_says_so(owner_client, partner, pln_token):
    response = owner_client.post("/produk/pilih/", {"category": "listrik"})
    assert "Pilih minimal satu produk terlebih dahulu." in response.content.decode()
    assert not PartnerProduct.objects.exists()


def test_a_product_that_is_not_aktif_is_refused_and_nothing_is_saved(
    owner_client, partner, listrik, pln_token
):
    broken = ProductFactory(
        code="100322", category=listrik, status=Product.Status.DISRUPTED
    )
    page = owner_client.get("/produk/", {"category": "listrik"}).content.decode()
    assert "Belum dapat dipilih: produk sedang Gangguan." in page
    assert " disabled" in checkbox(page, "100322")
    assert " disabled" not in checkbox(page, "100312")
    response = owner_client.post(
        "/produk/pilih/", {"category": "listrik", "products": ["100312", "100322"]}
    )
    html = response.content.decode()
    assert "sedang tidak aktif dan belum dapat dipilih" in html
    assert str(broken) in html
    # The page keeps what was ticked.
    assert " checked" in checkbox(html, "100312")
    assert not PartnerProduct.objects.exists()


def test_an_inactive_partner_sees_why_and_cannot_choose(
    owner_client, partner, pln_token
):
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.PENDING)
    html = owner_client.get("/produk/", {"category": "listrik"}).content.decode()
    assert "Akun mitra Anda belum aktif (status: Menunggu verifikasi)" in html
    assert "sedang diverifikasi" in html
    response = owner_client.post(
        "/produk/pilih/", {"category": "listrik", "products": ["100312"]}
    )
    assert (
        "Produk hanya dapat dipilih setelah akun mitra aktif"
        in response.content.decode()
    )
    assert not PartnerProduct.objects.exists()


def test_choosing_an_already_chosen_product_again_changes_nothing(
    owner_client, partner, pln_token
):
    for _attempt in range(2):
        owner_client.post(
            "/produk/pilih/", {"category": "listrik", "products": ["100312"]}
        )
    assert PartnerProduct.objects.filter(partner=partner).count() == 1
    assert AuditEvent.objects.filter(action="partner_product.chosen").count() == 1
