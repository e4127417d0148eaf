"""A partner reads the documentation in a browser: from the Koneksi tab, through the menu, the
Daftar Produk categories (htmx), on a phone, and on paper."""

import pytest
from django.core.management import call_command

from docs_content.tests.factories import CredentialFactory, approve_local_connections

pytestmark = pytest.mark.browser

# Elements reaching past the right edge of the screen (outside boxes that scroll).
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest(".table-responsive, .codehilite, .collapse:not(.show)"))
    .map((el) => `${el.tagName}.${el.className}`);
}"""


@pytest.fixture
def reader(page, owner, password, partner):
    call_command("load_catalogue", verbosity=0)
    CredentialFactory(partner=partner)
    approve_local_connections(partner)
    page.goto("/akun/login/")
    page.fill("input[name=identifier]", owner.username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def test_from_koneksi_to_a_section_and_its_anchor(reader):
    reader.goto("/koneksi/")
    reader.locator(".nav-tabs").get_by_role("link", name="Dokumentasi").click()
    reader.locator('[data-section="revisi"]').wait_for()
    reader.locator('#docsMenu a[href="/dokumentasi/sign-on/"]').click()
    reader.locator('[data-section="sign-on"]').wait_for()
    reader.locator("[data-toc]").get_by_role("link", name="Contoh kode").click()
    assert reader.url.endswith("#contoh-kode")
    reader.get_by_role("tab", name="Python").click()
    assert reader.locator(
        '[data-samples="sign_on"] [data-sample="python"]'
    ).is_visible()
    assert "HTTPDigestAuth" in reader.locator('[data-sample="python"]').inner_text()


def test_choosing_a_category_shows_its_products_beside_it(reader):
    reader.goto("/dokumentasi/daftar-produk/")
    reader.locator('[data-products="asuransi"]').wait_for()
    reader.locator('[data-category="pdam"]').click()
    reader.locator('[data-products="pdam"]').wait_for()
    assert reader.locator('#docs-products [data-product="400061"]').is_visible()
    assert reader.url.endswith("/dokumentasi/daftar-produk/pdam/")
    assert reader.locator("#docsMenu").count() == 1, "only the table was swapped"


def test_readable_on_a_phone(reader):
    reader.set_viewport_size({"width": 390, "height": 844})
    reader.goto("/dokumentasi/inquiry/")
    assert not reader.locator("#docsMenu").is_visible()
    reader.get_by_role("button", name="Daftar isi").click()
    reader.locator('#docsMenu a[href="/dokumentasi/payment/"]').wait_for()
    reader.wait_for_load_state("networkidle")
    wide = reader.evaluate(WIDER_THAN_SCREEN)
    assert wide == [], "nothing wider than the screen; code scrolls inside its box"


def test_print_shows_the_content_without_navigation(reader):
    reader.goto("/dokumentasi/authentikasi/")
    reader.emulate_media(media="print")
    assert not reader.locator(".sidebar").is_visible()
    assert not reader.locator("#docsMenu").is_visible()
    assert reader.locator('[data-section="authentikasi"]').is_visible()
    # Every language of the samples is printed, not only the active tab.
    assert reader.locator(
        '[data-samples="authentikasi"] [data-sample="php"]'
    ).is_visible()
