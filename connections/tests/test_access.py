"""Who may see and change the whitelist: rights per menu, active partners only."""

import pytest
from django.urls import reverse

from accounts.models import Partner
from accounts.tests.factories import UserFactory
from connections.models import Connection
from connections.tests.factories import ConnectionFactory
from portal.lib.access import Level, Menu

LIST_URL = reverse("connections:list")
ADD_URL = reverse("connections:add")


@pytest.fixture
def viewer(owner):
    """A sub-user who may look at Koneksi but not change it."""
    return UserFactory(
        partner=owner.partner, is_owner=False, access_rights={Menu.KONEKSI: Level.VIEW}
    )


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_sub_user_without_koneksi_gets_403_everywhere(client, sub_user, partner):
    entry = ConnectionFactory(partner=partner, rejected=True)
    client.force_login(sub_user)

    assert client.get(LIST_URL).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"environment": "development"}).status_code == 403
    assert (
        client.post(reverse("connections:delete", args=[entry.pk])).status_code == 403
    )
    assert client.get(reverse("connections:edit", args=[entry.pk])).status_code == 403
    assert Connection.objects.not_deleted().count() == 1


def test_a_viewer_sees_the_list_but_cannot_add_or_delete(client, viewer, partner):
    entry = ConnectionFactory(partner=partner, address="36.94.12.7")
    client.force_login(viewer)

    content = client.get(LIST_URL).content.decode()
    assert "36.94.12.7" in content
    assert ADD_URL not in content
    assert reverse("connections:delete", args=[entry.pk]) not in content

    assert client.get(ADD_URL).status_code == 403
    response = client.post(
        ADD_URL, {"environment": "development", "address": "36.94.12.8"}
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("connections:delete", args=[entry.pk])).status_code == 403
    )
    assert Connection.objects.not_deleted().count() == 1


@pytest.mark.parametrize(
    "status",
    [Partner.Status.INCOMPLETE, Partner.Status.PENDING, Partner.Status.SUSPENDED],
)
def test_only_an_active_partner_can_add_entries(owner_client, partner, status):
    partner.status = status
    partner.save()

    listing = owner_client.get(LIST_URL).content.decode()
    response = owner_client.post(
        ADD_URL, {"environment": "development", "address": "36.94.12.7"}, follow=True
    )

    assert "IP Address dapat didaftarkan setelah akun Anda Aktif" in listing
    assert ADD_URL not in listing
    assert str(status.label) in response.content.decode()
    assert not Connection.objects.exists()
