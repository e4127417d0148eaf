"""Who may see and change callbacks: rights of the KONEKSI menu, one partner's rows only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from connections.models import CallbackDelivery, CallbackEndpoint
from connections.tests.factories import CallbackDeliveryFactory, CallbackEndpointFactory
from portal.lib.access import Level, Menu

PAGE_URL = reverse("connections:callbacks")


@pytest.fixture
def viewer(owner):
    return UserFactory(
        partner=owner.partner, is_owner=False, access_rights={Menu.KONEKSI: Level.VIEW}
    )


def _changes(delivery):
    return [
        (
            reverse("connections:callback_url", args=["development"]),
            {"development-url": "http://127.0.0.1:9/x"},
        ),
        (reverse("connections:callback_secret", args=["development"]), {}),
        (reverse("connections:callback_test", args=["development"]), {}),
        (reverse("connections:callback_resend", args=[delivery.pk]), {}),
    ]


def test_another_partners_callback_is_404(client, outsider, partner):
    delivery = CallbackDeliveryFactory(partner=partner, reference_id="INV-RAHASIA")
    CallbackEndpointFactory(partner=partner, secret="rahasia-mitra-lain")
    client.force_login(outsider)

    response = client.post(reverse("connections:callback_resend", args=[delivery.pk]))
    page = client.get(PAGE_URL).content.decode()
    test_result = client.get(PAGE_URL, {"tes": delivery.pk}).content.decode()

    assert response.status_code == 404
    assert "INV-RAHASIA" not in page
    assert "rahasia-mitra-lain" not in page
    assert "INV-RAHASIA" not in test_result
    delivery.refresh_from_db()
    assert delivery.status == CallbackDelivery.Status.FAILED


def test_a_sub_user_without_koneksi_gets_403_everywhere(client, sub_user, partner):
    delivery = CallbackDeliveryFactory(partner=partner)
    client.force_login(sub_user)

    assert client.get(PAGE_URL).status_code == 403
    for url, data in _changes(delivery):
        assert client.post(url, data).status_code == 403
    assert not CallbackEndpoint.objects.exists()


def test_a_viewer_sees_the_secret_but_cannot_change_anything(client, viewer, partner):
    endpoint = CallbackEndpointFactory(partner=partner)
    delivery = CallbackDeliveryFactory(partner=partner)
    client.force_login(viewer)

    content = client.get(PAGE_URL).content.decode()
    assert endpoint.secret in content
    assert endpoint.url in content
    for url, data in _changes(delivery):
        assert url not in content
        assert client.post(url, data).status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.url == "http://127.0.0.1:9/callback"
    assert delivery.attempts == CallbackDelivery.objects.get().attempts


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(PAGE_URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
