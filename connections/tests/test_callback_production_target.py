"""Production callbacks never go to this machine or its network, whatever the DNS says."""

from connections.models import CallbackDelivery
from connections.services import callback_attempt
from connections.tests.factories import CallbackDeliveryFactory, CallbackEndpointFactory


def test_a_production_host_that_resolves_to_loopback_is_not_called(partner, receiver):
    port = receiver.server.server_address[1]
    # Written straight to the database: the form would refuse "localhost" already.
    CallbackEndpointFactory(
        partner=partner, environment="production", url=f"https://localhost:{port}/cb"
    )
    delivery = CallbackDeliveryFactory(
        partner=partner, environment="production", status="queued", attempts=0
    )

    attempt = callback_attempt(delivery=delivery, retry_in=30)

    delivery.refresh_from_db()
    assert receiver.requests == []
    assert "Callback tidak dikirim" in attempt.error
    assert "alamat loopback" in attempt.error
    assert delivery.status == CallbackDelivery.Status.FAILED


def test_a_removed_url_fails_the_callback_without_retrying(partner, receiver):
    CallbackEndpointFactory(partner=partner, url="")
    delivery = CallbackDeliveryFactory(partner=partner, status="queued", attempts=0)

    attempt = callback_attempt(delivery=delivery, retry_in=30)

    delivery.refresh_from_db()
    assert "sudah dihapus" in attempt.error
    assert delivery.status == CallbackDelivery.Status.FAILED
    assert delivery.attempts == 1
