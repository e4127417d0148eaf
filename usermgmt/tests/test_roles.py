"""Ready roles fill the matrix; the matrix may be adjusted per user; the list names the role."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from portal.lib.access import Level, Menu, has_right
from usermgmt.rights import CUSTOM, ROLES, role_label, role_of
from usermgmt.tests.conftest import rights_data, user_data


def test_the_roles_hold_what_the_brief_says():
    assert ROLES["teknis"][1] == {
        "dashboard": "view",
        "koneksi": "change",
        "produk": "change",
        "integrasi": "change",
        "kredensial": "view",
    }
    assert ROLES["keuangan"][1] == {"dashboard": "view", "transaksi": "change"}
    assert ROLES["laporan"][1] == {"dashboard": "view", "transaksi": "view"}
    admin = ROLES["administrator"][1]
    assert admin["usermgmt"] == admin["transaksi"] == admin["koneksi"] == "change"
    assert admin["profil"] == "view"


@pytest.mark.parametrize("role", list(ROLES))
def test_a_matrix_equal_to_a_role_is_named_after_it(role):
    assert role_of(ROLES[role][1]) == role


def test_an_adjusted_matrix_is_kustom():
    rights = {**ROLES["keuangan"][1], Menu.PRODUK.value: Level.VIEW.value}

    assert role_of(rights) == CUSTOM


def test_a_role_adjusted_on_the_form_is_stored_as_the_matrix(owner_client):
    data = user_data(role="keuangan", right_produk="view", right_transaksi="view")

    owner_client.post(reverse("usermgmt:add"), data)

    user = User.objects.get(email="siti.rahayu@majujaya.test")
    assert user.access_rights == {
        "dashboard": "view",
        "produk": "view",
        "transaksi": "view",
    }
    assert role_label(user) == "Kustom"
    assert has_right(user, Menu.PRODUK)
    assert not has_right(user, Menu.TRANSAKSI, Level.CHANGE)


def test_the_role_select_alone_grants_nothing(owner_client):
    """The server stores the matrix: a role name posted with an empty matrix is refused."""
    response = owner_client.post(
        reverse("usermgmt:add"), user_data(role="administrator", **rights_data({}))
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="siti.rahayu@majujaya.test").exists()


def test_the_list_shows_role_names_and_kustom(owner_client, partner):
    UserFactory(partner=partner, is_owner=False, access_rights=ROLES["teknis"][1])
    UserFactory(partner=partner, is_owner=False, access_rights={"produk": "view"})

    content = owner_client.get(reverse("usermgmt:list")).content.decode()

    assert "Pemilik" in content
    assert "Teknis" in content
    assert "Kustom" in content


def test_the_form_offers_the_roles_to_the_script(owner_client):
    content = owner_client.get(reverse("usermgmt:add")).content.decode()

    assert 'id="usermgmt-roles"' in content
    assert '"keuangan": {"dashboard": "view", "transaksi": "change"}' in content
    for role in ("Administrator", "Teknis", "Keuangan", "Laporan", "Kustom"):
        assert role in content
