"""The Webreport login holds only {"transaksi": "view"}: reports yes, nothing else."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.tests.factories import PASSWORD
from billing.tests.factories import TopUpFactory, TransactionFactory
from portal.lib.access import Menu, has_right
from portal.lib.navigation import SIDEBAR


@pytest.fixture
def webreport_client(client, sub_user):
    client.force_login(sub_user)
    return client


def test_the_webreport_user_holds_only_the_transaksi_view_right(sub_user):
    assert has_right(sub_user, Menu.TRANSAKSI, "view")
    assert not has_right(sub_user, Menu.TRANSAKSI, "change")
    for menu in Menu:
        if menu != Menu.TRANSAKSI:
            assert not has_right(sub_user, menu, "view"), menu


def test_the_webreport_user_reads_the_reports(webreport_client, partner):
    txn = TransactionFactory(partner=partner)
    for url in (
        reverse("billing:transactions"),
        reverse("billing:transaction_detail", args=[txn.pk]),
        reverse("billing:transactions_export"),
        reverse("billing:mutasi"),
        reverse("billing:mutasi_export"),
    ):
        assert webreport_client.get(url).status_code == 200, url


def test_the_webreport_user_cannot_open_the_dashboard_or_top_up(
    webreport_client, partner
):
    topup = TopUpFactory(partner=partner)
    assert webreport_client.get(reverse("portal:dashboard")).status_code == 403
    for url in (
        reverse("billing:topups"),
        reverse("billing:topup_create"),
        reverse("billing:topup_detail", args=[topup.pk]),
        reverse("billing:topup_proof_file", args=[topup.pk]),
    ):
        assert webreport_client.get(url).status_code == 403, url
    assert webreport_client.post(reverse("billing:sandbox_fund")).status_code == 403


def test_the_webreport_user_cannot_open_any_other_menu(webreport_client):
    opened = 0
    for menu, url_name, _icon in SIDEBAR:
        if menu == Menu.TRANSAKSI:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # that menu's app is not built yet
        assert webreport_client.get(url).status_code == 403, url
        opened += 1
    assert opened >= 1  # at least the dashboard was tried


def test_the_sidebar_shows_only_the_transaksi_menu(webreport_client):
    page = webreport_client.get(reverse("billing:transactions"))
    items = page.context["sidebar"]
    assert [item.url for item in items] == [reverse("billing:transactions")]
    assert reverse("billing:topups") not in page.content.decode()


def test_after_login_the_webreport_user_lands_on_the_report(client, sub_user):
    response = client.post(
        reverse("accounts:login"),
        {"identifier": sub_user.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:transactions")
