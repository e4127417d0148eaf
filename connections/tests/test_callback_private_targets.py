"""Outside local development, no callback (Development included) may reach this machine or
its network: otherwise a partner could make the server call internal services."""

import pytest

from connections.callback_url import CallbackUrlError, clean_callback_url
from connections.models import CallbackDelivery
from connections.services import callback_attempt
from connections.tests.factories import CallbackDeliveryFactory, CallbackEndpointFactory


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:6379/", "http://localhost:8000/cb", "http://10.1.2.3/cb"],
)
def test_development_refuses_internal_hosts_unless_allowed(settings, url):
    settings.CALLBACK_ALLOW_PRIVATE_TARGETS = False

    with pytest.raises(CallbackUrlError) as refused:
        clean_callback_url(url, "development")

    assert "Internet" in refused.value.message


def test_development_still_accepts_a_public_http_url(settings):
    settings.CALLBACK_ALLOW_PRIVATE_TARGETS = False
    url = "http://sandbox.mitra.co.id/callback"

    assert clean_callback_url(url, "development") == url


def test_a_development_host_resolving_to_loopback_is_not_called(
    settings, partner, receiver
):
    settings.CALLBACK_ALLOW_PRIVATE_TARGETS = False
    port = receiver.server.server_address[1]
    CallbackEndpointFactory(
        partner=partner, environment="development", url=f"http://localhost:{port}/cb"
    )
    delivery = CallbackDeliveryFactory(
        partner=partner, environment="development", status="queued", attempts=0
    )

    attempt = callback_attempt(delivery=delivery, retry_in=30)

    delivery.refresh_from_db()
    assert receiver.requests == []
    assert "Callback tidak dikirim" in attempt.error
    assert delivery.status == CallbackDelivery.Status.FAILED
