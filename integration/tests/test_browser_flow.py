"""The whole path of one product in a real browser: choose it, file its UAT with files, have
it approved by staff in the back-office, request live through the confirmation dialog, and
see it Aktif."""

import pytest

from integration.models import LiveRequest, UatRequest
from integration.tests.factories import (
    PDF,
    REQUEST_LOG,
    RESPONSE_LOG,
    png_bytes,
    production_ip,
)
from portal.lib.review import ReviewStatus, review_decide
from products.models import PartnerProduct
from tests_journey.browsing import after_htmx_swap, wait_url

pytestmark = pytest.mark.browser


def _login(page, path, username, password):
    page.goto(path)
    page.fill("input[name=identifier], input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


def _file(name, mime, data):
    return {"name": name, "mimeType": mime, "buffer": data}


def test_choose_file_uat_request_live_and_see_it_aktif(
    page, browser, live_server, owner, staff, password, pln_postpaid, pln_token
):
    partner = owner.partner
    production_ip(partner)
    _login(page, "/akun/login/", owner.username, password)

    # Produk > Tambah Produk: the category drop-down loads the list without a reload.
    page.goto("/produk/")
    page.select_option("#id_category", "listrik")
    page.locator("input[name=products][value='100301']").check()
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data berhasil disimpan").wait_for()
    assert page.locator("input[name=products][value='100301']").count() == 0
    assert page.locator("input[name=products][value='100312']").count() == 1

    # Integrasi > Request UAT > Tambah, with the evidence files.
    page.goto("/integrasi/")
    page.get_by_role("link", name="Tambah").click()
    # The click only starts the navigation: the new page must be there before its swap is
    # listened for.
    wait_url(page, "**/integrasi/uat/tambah/")
    after_htmx_swap(page, lambda: page.select_option("#id_category", "listrik"))
    page.select_option("#id_product", "100301")
    page.set_input_files("#id_document", _file("hasil-uat.pdf", "application/pdf", PDF))
    for field, name in (
        ("inquiry_request_file", "inquiry-request.json"),
        ("inquiry_response_file", "inquiry-response.json"),
        ("payment_request_file", "payment-request.txt"),
    ):
        page.set_input_files(
            f"#id_{field}", _file(name, "text/plain", REQUEST_LOG.encode())
        )
    page.fill("#id_payment_response_text", RESPONSE_LOG)
    for field in ("inquiry_screenshot", "payment_screenshot"):
        page.set_input_files(
            f"#id_{field}", _file("layar.png", "image/png", png_bytes())
        )
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Request UAT menunggu approval").wait_for()
    uat = UatRequest.objects.get()
    assert uat.evidence.count() == 7

    # Staff approve it in the back-office.
    staff_page = browser.new_context(
        base_url=live_server.url, locale="id-ID"
    ).new_page()
    _login(staff_page, "/backoffice/login/", staff.username, password)
    staff_page.goto(f"/backoffice/integration/uatrequest/{uat.pk}/change/")
    staff_page.get_by_role("link", name="Unduh (PDF)").wait_for()
    staff_page.locator("input[name=_approve]").click()
    staff_page.get_by_text("1 pengajuan disetujui.").wait_for()
    staff_page.context.close()
    uat.refresh_from_db()
    assert uat.review_status == ReviewStatus.APPROVED

    # Request Live: Tidak cancels, Ya sends.
    page.goto("/integrasi/live/")
    page.get_by_role("button", name="Request Live").click()
    modal = page.locator("#confirmModal")
    modal.get_by_text("Konfirmasi Request Live: ajukan produk 100301").wait_for()
    modal.get_by_role("button", name="Tidak").click()
    modal.wait_for(state="hidden")
    assert not LiveRequest.objects.exists()
    page.get_by_role("button", name="Request Live").click()
    modal.get_by_role("button", name="Ya").click()
    page.get_by_text("Proses Berhasil").wait_for()

    review_decide(subject=LiveRequest.objects.get(), approve=True, actor=staff)

    page.goto("/produk/produk-anda/")
    row = page.locator("tr[data-product='100301']")
    row.get_by_text("Aktif", exact=True).first.wait_for()
    assert (
        PartnerProduct.objects.get(partner=partner).state == PartnerProduct.State.ACTIVE
    )
