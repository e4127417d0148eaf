"""A partner sets a callback URL, sends a test, and regenerates the secret after confirming."""

import pytest

from connections.models import CallbackEndpoint

pytestmark = pytest.mark.browser


def _login(page, owner, password):
    page.goto("/akun/login/")
    page.fill("input[name=identifier]", owner.username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_set_url_send_a_test_and_regenerate_the_secret(page, owner, password, receiver):
    _login(page, owner, password)
    page.goto("/koneksi/")
    page.get_by_role("link", name="Callback").click()

    card = page.locator("[data-callback-env=production]")
    card.get_by_label("URL Callback").fill("http://api.mitra.co.id/callback")
    card.get_by_role("button", name="Simpan").click()
    page.get_by_text("URL callback Production wajib memakai https://.").wait_for()

    card = page.locator("[data-callback-env=development]")
    card.get_by_label("URL Callback").fill(receiver.url)
    card.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data berhasil disimpan").wait_for()
    endpoint = CallbackEndpoint.objects.get(environment="development")
    receiver.secret = endpoint.secret
    secret_input = card.locator("#secret-development")
    assert secret_input.input_value() == endpoint.secret
    assert secret_input.get_attribute("type") == "password"
    card.get_by_role("button", name="Tampilkan").click()
    assert secret_input.get_attribute("type") == "text"

    card.get_by_role("button", name="Kirim tes").click()
    page.get_by_text("Tes callback berhasil diterima server Anda.").wait_for()
    assert page.locator("[data-test-result]").get_by_text("diterima").count() >= 1
    assert receiver.requests[0].signature_valid

    card = page.locator("[data-callback-env=development]")
    card.get_by_role("button", name="Buat ulang secret").click()
    modal = page.locator("#confirmModal")
    modal.get_by_text("Yakin buat ulang secret callback Development?").wait_for()
    modal.get_by_role("button", name="Tidak").click()
    modal.wait_for(state="hidden")
    endpoint.refresh_from_db()
    assert endpoint.secret == receiver.secret

    card.get_by_role("button", name="Buat ulang secret").click()
    modal.get_by_role("button", name="Ya").click()
    page.get_by_text("berhasil dibuat ulang").wait_for()
    endpoint.refresh_from_db()
    assert endpoint.secret != receiver.secret
    assert page.locator("#secret-development").input_value() == endpoint.secret
