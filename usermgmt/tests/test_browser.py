"""The owner adds a Keuangan user in the browser; that user sees only its menus."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from portal.lib.navigation import SIDEBAR
from usermgmt.rights import ROLES
from usermgmt.tests.conftest import NEW_PASSWORD

pytestmark = pytest.mark.browser


def _login(page, identifier, password):
    page.goto("/akun/login/")
    page.fill("input[name=identifier]", identifier)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def _expected_menus(rights) -> list[str]:
    labels = []
    for menu, url_name, _icon in SIDEBAR:
        try:
            reverse(url_name)
        except NoReverseMatch:
            continue
        if menu.value in rights:
            labels.append(str(menu.label))
    return labels


def test_a_keuangan_user_sees_only_its_menus(page, owner, password):
    _login(page, owner.username, password)
    page.goto("/manajemen-user/")
    page.get_by_role("link", name="Tambah Data").click()

    page.fill("input[name=name]", "Siti Rahayu")
    page.fill("input[name=email]", "siti@majujaya.test")
    page.fill("input[name=phone]", "0813 1111 2222")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_label("Hak Akses Akun").select_option("keuangan")
    # The role filled the matrix.
    assert page.locator("input[name=right_transaksi][value=change]").is_checked()
    assert page.locator("input[name=right_dashboard][value=view]").is_checked()
    assert page.locator("input[name=right_produk][value='']").is_checked()
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Data Berhasil Disimpan").wait_for()

    user = User.objects.get(email="siti@majujaya.test")
    assert user.access_rights == ROLES["keuangan"][1]
    assert page.locator(f"tr[data-user='{user.pk}']").get_by_text("Keuangan").count()

    page.locator("header .dropdown-toggle").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/akun/login/")

    _login(page, user.username, NEW_PASSWORD)
    sidebar = page.locator("nav.sidebar .nav-link")
    sidebar.first.wait_for()
    shown = [text.strip() for text in sidebar.all_inner_texts()]

    assert shown == _expected_menus(user.access_rights)
    assert "Manajemen User" not in shown and "Produk" not in shown


def test_adjusting_the_matrix_by_hand_shows_kustom(page, owner, password):
    _login(page, owner.username, password)
    page.goto("/manajemen-user/tambah/")
    page.get_by_label("Hak Akses Akun").select_option("laporan")

    page.locator("input[name=right_produk][value=view]").check()

    assert page.get_by_label("Hak Akses Akun").input_value() == "kustom"
    page.locator("input[name=right_produk][value='']").check()
    assert page.get_by_label("Hak Akses Akun").input_value() == "laporan"
