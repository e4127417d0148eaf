"""Nobody grants a right it does not hold, and posted extra fields change nothing."""

import pytest
from django.urls import reverse

from accounts.models import Partner, User
from accounts.tests.factories import PartnerFactory, UserFactory
from portal.lib.access import Level, Menu
from usermgmt import services
from usermgmt.tests.conftest import NEW_PASSWORD, rights_data, user_data

ADD_URL = reverse("usermgmt:add")
REFUSED = "Anda tidak dapat memberikan hak akses melebihi hak akses Anda sendiri."


@pytest.fixture
def manager(owner):
    """May manage users, but only looks at Produk."""
    return UserFactory(
        partner=owner.partner,
        is_owner=False,
        access_rights={Menu.USERMGMT: Level.CHANGE, Menu.PRODUK: Level.VIEW},
    )


def test_a_manager_cannot_grant_produk_change(client, manager):
    client.force_login(manager)
    data = user_data(role="kustom", **rights_data({"produk": "change"}))

    response = client.post(ADD_URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors["right_produk"] == [REFUSED]
    assert not User.objects.filter(email="siti.rahayu@majujaya.test").exists()


def test_a_manager_cannot_grant_a_menu_it_lacks(client, manager):
    client.force_login(manager)
    data = user_data(role="kustom", **rights_data({"transaksi": "view"}))

    response = client.post(ADD_URL, data)

    assert response.context["form"].errors["right_transaksi"] == [REFUSED]


def test_a_manager_may_grant_what_it_holds(client, manager):
    client.force_login(manager)
    data = user_data(role="kustom", **rights_data({"produk": "view"}))

    assert client.post(ADD_URL, data).status_code == 302
    user = User.objects.get(email="siti.rahayu@majujaya.test")
    assert user.access_rights == {"produk": "view"}


def test_the_service_refuses_escalation_too(manager):
    with pytest.raises(services.UserManagementError, match="melebihi"):
        services.sub_user_create(
            actor=manager,
            name="Budi",
            email="budi@majujaya.test",
            phone="+6281355554444",
            password=NEW_PASSWORD,
            rights={"produk": "change"},
        )
    assert not User.objects.filter(email="budi@majujaya.test").exists()


def test_a_manager_cannot_edit_or_delete_a_more_powerful_user(client, manager):
    stronger = UserFactory(
        partner=manager.partner, is_owner=False, access_rights={"produk": "change"}
    )
    client.force_login(manager)

    edit = client.get(reverse("usermgmt:edit", args=[stronger.pk]), follow=True)
    delete = client.post(reverse("usermgmt:delete", args=[stronger.pk]), follow=True)

    assert "tidak dapat Anda ubah atau hapus" in edit.content.decode()
    assert "tidak dapat Anda ubah atau hapus" in delete.content.decode()
    stronger.refresh_from_db()
    assert stronger.is_active


def test_nobody_edits_or_deletes_the_owner(owner_client, owner):
    edit = owner_client.post(
        reverse("usermgmt:edit", args=[owner.pk]), user_data(), follow=True
    )
    delete = owner_client.post(reverse("usermgmt:delete", args=[owner.pk]), follow=True)

    assert "Akun pemilik tidak dapat diubah" in edit.content.decode()
    assert "Akun pemilik tidak dapat diubah" in delete.content.decode()
    owner.refresh_from_db()
    assert (
        owner.is_active
        and owner.is_owner
        and owner.email != "siti.rahayu@majujaya.test"
    )


def test_a_manager_cannot_change_itself_here(client, manager):
    client.force_login(manager)
    data = user_data(role="kustom", **rights_data({"produk": "view"}))

    client.post(reverse("usermgmt:edit", args=[manager.pk]), data)
    client.post(reverse("usermgmt:delete", args=[manager.pk]))

    manager.refresh_from_db()
    assert manager.is_active
    assert manager.email != "siti.rahayu@majujaya.test"


EXTRA = {
    "partner": "",
    "is_staff": "on",
    "is_superuser": "on",
    "is_owner": "on",
    "username": "pilihan-saya",
    "email_verified_at": "",
    "access_rights": '{"usermgmt": "change"}',
}


def test_posted_extra_fields_change_nothing_on_add(owner_client, partner):
    other = PartnerFactory()

    owner_client.post(ADD_URL, user_data(**{**EXTRA, "partner": other.pk}))

    user = User.objects.get(email="siti.rahayu@majujaya.test")
    assert user.partner == partner
    assert not (user.is_staff or user.is_superuser or user.is_owner)
    assert user.username != "pilihan-saya"
    assert "usermgmt" not in user.access_rights
    assert not User.objects.filter(partner=other).exists()


def test_posted_extra_fields_change_nothing_on_edit(owner_client, partner):
    user = UserFactory(
        partner=partner, is_owner=False, access_rights={"produk": "view"}
    )
    other = PartnerFactory()
    username = user.username

    owner_client.post(
        reverse("usermgmt:edit", args=[user.pk]),
        user_data(
            password1="", password2="", is_active="1", **{**EXTRA, "partner": other.pk}
        ),
    )

    user.refresh_from_db()
    assert user.partner == partner
    assert not (user.is_staff or user.is_superuser or user.is_owner)
    assert user.username == username
    assert user.name == "Siti Rahayu"  # the real fields were saved
    assert Partner.objects.get(pk=partner.pk).status == partner.status
