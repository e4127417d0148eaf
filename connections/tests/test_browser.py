"""A partner adds an IP through the form and deletes it through the confirmation modal."""

import pytest

from connections.models import Connection

pytestmark = pytest.mark.browser


def _login(page, owner, password):
    page.goto("/akun/login/")
    page.fill("input[name=identifier]", owner.username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_add_then_delete_with_confirmation(page, owner, password):
    _login(page, owner, password)
    page.goto("/koneksi/")
    page.get_by_text("Belum ada IP Address yang didaftarkan.").wait_for()

    page.get_by_role("link", name="Tambah").first.click()
    page.get_by_label("Production").check()
    page.get_by_label("IP Address").fill("10.0.0.5")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("jaringan privat/lokal").wait_for()
    assert page.get_by_label("IP Address").input_value() == "10.0.0.5"

    page.get_by_label("IP Address").fill("36.94.12.7")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data berhasil disimpan").wait_for()
    assert page.locator("tbody tr").count() == 1

    page.get_by_role("button", name="Hapus").click()
    modal = page.locator("#confirmModal")
    modal.get_by_text("Yakin hapus IP Address 36.94.12.7 (Production)?").wait_for()
    modal.get_by_role("button", name="Tidak").click()
    modal.wait_for(state="hidden")
    assert Connection.objects.not_deleted().count() == 1

    page.get_by_role("button", name="Hapus").click()
    modal.get_by_role("button", name="Ya").click()
    page.get_by_text("berhasil dihapus").wait_for()
    assert Connection.objects.not_deleted().count() == 0
