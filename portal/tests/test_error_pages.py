"""The 403, 404 and 500 pages say what happened and where to go, in the user's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import UserFactory
from portal.lib.access import Level, Menu

pytestmark = pytest.mark.django_db

SIDEBAR = 'aria-label="Menu utama"'


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_sub_user_refused_a_menu_is_told_which_right_is_missing_and_who_grants_it(
    client, owner, sub_user
):
    client.force_login(sub_user)

    response = client.get(reverse("usermgmt:list"))

    page = response.content.decode()
    assert response.status_code == 403
    assert SIDEBAR in page
    assert "Akses ditolak" in page
    assert "<strong>Manajemen User</strong> tingkat <strong>Lihat</strong>" in page
    assert f"<strong>{owner.name}</strong>" in page
    assert owner.email not in page
    assert owner.phone not in page
    # Where to go: the first page this sub-user may open.
    assert f'href="{reverse("billing:transactions")}" class="btn' in page


def test_a_sub_user_with_view_only_is_told_the_change_level_is_missing(client, owner):
    user = UserFactory(
        partner=owner.partner,
        is_owner=False,
        access_rights={Menu.USERMGMT: Level.VIEW},
    )
    client.force_login(user)

    response = client.get(reverse("usermgmt:add"))

    assert response.status_code == 403
    assert "<strong>Manajemen User</strong> tingkat <strong>Ubah</strong>" in (
        response.content.decode()
    )


def test_the_403_page_follows_the_language_switch(client, sub_user):
    _english(client)
    client.force_login(sub_user)

    page = client.get(reverse("usermgmt:list")).content.decode()

    assert '<html lang="en">' in page
    assert "Log out" in page
    assert "<strong>User Management</strong>" in page
    assert "<strong>View</strong>" in page
    assert "Manajemen User</strong>" not in page


def test_a_missing_page_is_shown_in_the_portal_layout_with_a_way_back(owner_client):
    response = owner_client.get("/transaksi/tidak-ada/")

    page = response.content.decode()
    assert response.status_code == 404
    assert SIDEBAR in page
    assert "Halaman tidak ditemukan" in page
    assert f'href="{reverse("portal:dashboard")}" class="btn' in page


def test_a_missing_page_for_a_visitor_leads_to_login(client):
    response = client.get("/tidak-ada/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page
    assert SIDEBAR not in page
    assert f'href="{reverse("accounts:login")}" class="btn' in page


def test_the_404_page_follows_the_language_switch(owner_client):
    _english(owner_client)

    page = owner_client.get("/transaksi/tidak-ada/").content.decode()

    assert '<html lang="en">' in page
    assert "Log out" in page
    assert "Transactions &amp; Deposit" in page


@pytest.mark.urls("portal.tests.urls_errors")
def test_an_error_shows_a_plain_page_in_indonesian(client, owner):
    client.raise_request_exception = False
    client.force_login(owner)

    response = client.get("/boom/")

    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="id">' in page
    assert "Terjadi kesalahan" in page
    assert "portal.css" in page
    assert 'href="/"' in page


@pytest.mark.urls("portal.tests.urls_errors")
def test_the_500_page_follows_the_language_switch(client):
    client.raise_request_exception = False
    _english(client)

    page = client.get("/boom/").content.decode()

    assert '<html lang="en">' in page
