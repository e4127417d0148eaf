"""In a real browser: choosing the product loads its Development calls without a reload; the
ticked ones travel with the form and the detail page shows them."""

import pytest

from integration.models import UatRequest
from integration.tests.factories import PDF, ApiLogFactory, chosen, postpaid_calls
from tests_journey.browsing import after_htmx_swap

pytestmark = pytest.mark.browser


def test_tick_development_calls_and_file_the_uat(page, owner, password, pln_postpaid):
    partner = owner.partner
    chosen(partner, pln_postpaid)
    inquiry, payment = postpaid_calls(partner)
    ApiLogFactory(partner=partner, product_code="100312", reference_id="LAIN-PRODUK")
    page.goto("/akun/login/")
    page.fill("input[name=identifier], input[name=username]", owner.username)
    page.fill("input[name=password]", password)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()

    page.goto("/integrasi/uat/tambah/")
    calls = page.locator("#api-calls")
    calls.get_by_text("Pilih produk untuk melihat").wait_for()
    after_htmx_swap(page, lambda: page.select_option("#id_category", "listrik"))
    after_htmx_swap(page, lambda: page.select_option("#id_product", "100301"))
    assert calls.locator(f"tr[data-call='{inquiry.pk}']").count() == 1
    # Another category resets the product, and the calls of the old one go away.
    after_htmx_swap(page, lambda: page.select_option("#id_category", ""))
    calls.get_by_text("Pilih produk untuk melihat").wait_for()
    assert page.locator("#id_product div, #id_product input").count() == 0
    after_htmx_swap(page, lambda: page.select_option("#id_product", "100301"))
    assert calls.get_by_text("LAIN-PRODUK").count() == 0
    url_before = page.url
    calls.locator(f"#call-{inquiry.pk}").check()
    calls.locator(f"#call-{payment.pk}").check()
    assert page.url == url_before
    page.set_input_files(
        "#id_document",
        {"name": "hasil-uat.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Request UAT menunggu approval").wait_for()
    uat = UatRequest.objects.get()
    assert uat.api_calls.count() == 2

    page.goto(f"/integrasi/uat/{uat.pk}/")
    row = page.locator("[data-testid=evidence-calls] summary").first
    row.click()
    page.locator("[data-testid=evidence-calls] pre").first.wait_for()
    assert "530000000001" in page.locator("[data-testid=evidence-calls]").inner_text()
