"""Who may open the documentation: a KONEKSI viewer of a partner with an approved entry."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from connections.tests.factories import ConnectionFactory
from docs_content.sections import SECTIONS
from docs_content.tests.factories import CredentialFactory, approve_local_connections
from portal.lib.access import Level, Menu

PAGES = [reverse("docs_content:index")] + [
    reverse("docs_content:section", args=[s.slug]) for s in SECTIONS[1:]
]
DOWNLOADS = [
    "docs_content:openapi_json",
    "docs_content:openapi_yaml",
    "docs_content:postman",
]


@pytest.mark.parametrize("url", PAGES + [reverse(name) for name in DOWNLOADS])
def test_closed_before_an_approved_connection_entry(owner_client, url):
    response = owner_client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Dokumentasi belum terbuka" in page
    assert reverse("connections:list") in page
    assert "Belum ada IP Address yang didaftarkan" in page


def test_closed_page_says_an_entry_is_waiting_for_approval(owner_client, partner):
    ConnectionFactory(partner=partner)
    response = owner_client.get(reverse("docs_content:index"))
    assert response.status_code == 403
    assert "sedang menunggu persetujuan" in response.content.decode()


def test_closed_page_says_an_entry_was_rejected(owner_client, partner):
    ConnectionFactory(partner=partner, rejected=True)
    response = owner_client.get(reverse("docs_content:index"))
    assert "ditolak" in response.content.decode()


def test_open_after_an_entry_is_approved(owner_client, partner):
    ConnectionFactory(partner=partner, approved=True)
    response = owner_client.get(reverse("docs_content:index"))
    assert response.status_code == 200
    assert 'data-section="revisi"' in response.content.decode()


def test_a_production_entry_opens_it_too(owner_client, partner):
    ConnectionFactory(partner=partner, environment="production", approved=True)
    assert owner_client.get(reverse("docs_content:index")).status_code == 200


def test_an_approved_entry_of_another_partner_does_not_open_it(owner_client, outsider):
    approve_local_connections(outsider.partner)
    assert owner_client.get(reverse("docs_content:index")).status_code == 403


@pytest.mark.parametrize("url", PAGES[:3] + [reverse(DOWNLOADS[2])])
def test_sub_user_without_koneksi_right_is_refused(client, sub_user, partner, url):
    approve_local_connections(partner)
    client.force_login(sub_user)
    assert client.get(url).status_code == 403


def test_sub_user_with_koneksi_view_right_may_read(client, partner):
    approve_local_connections(partner)
    reader = UserFactory(
        partner=partner, is_owner=False, access_rights={Menu.KONEKSI: Level.VIEW}
    )
    client.force_login(reader)
    assert (
        client.get(reverse("docs_content:section", args=["sign-on"])).status_code == 200
    )


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("docs_content:index"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_outsider_sees_its_own_values_never_the_others(client, partner, outsider):
    mine = CredentialFactory(partner=partner)
    theirs = CredentialFactory(partner=outsider.partner)
    approve_local_connections(partner)
    approve_local_connections(outsider.partner)
    client.force_login(outsider)
    for name in ("authentikasi", "sign-on", "inquiry"):
        page = client.get(reverse("docs_content:section", args=[name])).content.decode()
        assert theirs.merchant_id in page
        assert mine.username not in page and mine.merchant_id not in page
        assert mine.account_id not in page
    collection = client.get(reverse("docs_content:postman")).content.decode()
    assert theirs.username in collection and mine.username not in collection


def test_unknown_section_is_404(docs_client):
    response = docs_client.get(reverse("docs_content:section", args=["tidak-ada"]))
    assert response.status_code == 404


def test_pages_answer_only_get(docs_client):
    assert docs_client.post(reverse("docs_content:index")).status_code == 405
