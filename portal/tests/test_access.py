"""Access rights: each view names the menu it needs; users see and open only what they hold."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from accounts.tests.factories import UserFactory
from portal.lib.access import Level, Menu, has_right
from portal.lib.navigation import home_url, sidebar_items

pytestmark = pytest.mark.django_db

stub_urls = pytest.mark.urls("portal.tests.urls_menus")


def _sub_user(owner, **rights):
    return UserFactory(partner=owner.partner, is_owner=False, access_rights=rights)


def test_the_owner_holds_every_right(owner):
    assert all(has_right(owner, menu, level) for menu in Menu for level in Level)


def test_a_view_right_opens_a_menu_for_reading_only(owner):
    user = _sub_user(owner, **{Menu.PROFIL: Level.VIEW})

    assert has_right(user, Menu.PROFIL, Level.VIEW)
    assert not has_right(user, Menu.PROFIL, Level.CHANGE)
    assert not has_right(user, Menu.DASHBOARD, Level.VIEW)


def test_a_change_right_includes_reading(owner):
    user = _sub_user(owner, **{Menu.PROFIL: Level.CHANGE})

    assert has_right(user, Menu.PROFIL, Level.VIEW)
    assert has_right(user, Menu.PROFIL, Level.CHANGE)


def test_staff_deactivated_and_anonymous_users_hold_no_partner_right(owner, staff):
    owner.is_active = False

    assert not has_right(staff, Menu.DASHBOARD)
    assert not has_right(owner, Menu.DASHBOARD)
    assert not has_right(AnonymousUser(), Menu.DASHBOARD)


def test_a_sub_user_without_the_dashboard_right_is_refused_the_dashboard(
    client, sub_user
):
    client.force_login(sub_user)

    assert client.get(reverse("portal:dashboard")).status_code == 403


def test_after_login_a_sub_user_lands_on_a_page_it_may_open(client, sub_user, password):
    response = client.post(
        reverse("accounts:login"), {"identifier": sub_user.phone, "password": password}
    )

    assert response["Location"] != reverse("portal:dashboard")
    assert client.get(response["Location"]).status_code == 200


@stub_urls
def test_after_login_a_sub_user_lands_on_its_first_allowed_menu(
    client, sub_user, password
):
    response = client.post(
        reverse("accounts:login"), {"identifier": sub_user.phone, "password": password}
    )

    assert response["Location"] == reverse("billing:transactions")
    assert client.get(response["Location"]).status_code == 200


@stub_urls
def test_menus_are_opened_only_at_the_level_held(client, owner):
    client.force_login(_sub_user(owner, **{Menu.PROFIL: Level.VIEW}))

    assert client.get(reverse("profiles:detail")).status_code == 200
    assert client.get(reverse("profiles:edit")).status_code == 403
    assert client.get(reverse("usermgmt:list")).status_code == 403


@stub_urls
def test_the_sidebar_lists_only_the_menus_the_user_holds(owner):
    user = _sub_user(
        owner, **{Menu.DASHBOARD: Level.VIEW, Menu.TRANSAKSI: Level.CHANGE}
    )

    assert _labels(user) == ["Dashboard", "Transaksi & Deposit"]
    assert home_url(user) == reverse("portal:dashboard")


@stub_urls
def test_the_owner_sees_every_menu_in_the_order_of_the_manual(owner):
    assert _labels(owner) == [
        "Dashboard",
        "Profil",
        "Koneksi & Dokumentasi",
        "Produk",
        "Integrasi",
        "Transaksi & Deposit",
        "Kredensial",
        "Manajemen User",
    ]


def test_the_sidebar_of_a_page_shows_only_what_the_user_may_open(client, owner):
    client.force_login(_sub_user(owner, **{Menu.DASHBOARD: Level.VIEW}))

    response = client.get(reverse("portal:dashboard"))

    assert [item.label for item in response.context["sidebar"]] == ["Dashboard"]
    assert 'href="/dashboard/"' in response.content.decode()


def test_staff_visiting_the_portal_are_sent_to_the_back_office(client, staff):
    client.force_login(staff)

    response = client.get(reverse("portal:dashboard"))

    assert response["Location"] == reverse("admin:index")


def test_a_user_of_no_partner_who_is_not_staff_is_refused(client):
    client.force_login(UserFactory(partner=None, phone=None, username="tanpa-mitra"))

    assert client.get(reverse("portal:dashboard")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login_and_back(client):
    response = client.get(reverse("portal:dashboard"))

    assert response["Location"] == f"{reverse('accounts:login')}?next=/dashboard/"


def _labels(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [str(item.label) for item in sidebar_items(request)]
