"""callback_enqueue and the delivery task against a real HTTP receiver that checks the
signature: delivered on 2xx, retried on failure, failed after every attempt."""

import hashlib
import hmac

import pytest

from connections.models import CallbackAttempt, CallbackDelivery
from connections.services import callback_enqueue
from connections.tasks import CALLBACK_MAX_ATTEMPTS
from connections.tests.factories import CallbackEndpointFactory

PAYLOAD = {
    "merchantID": "M0001",
    "productID": "PLNPASCA",
    "customerID": "512345678901",
    "referenceID": "INV-20250101-01",
    "rc": "00",
    "description": "SUKSES",
    "data": {"nama": "BUDI SANTOSO", "total": "000000202500", "sn": "ABC123"},
}


@pytest.fixture
def enqueue(partner, django_capture_on_commit_callbacks):
    def run(**overrides):
        arguments = {
            "partner": partner,
            "environment": "development",
            "payload": PAYLOAD,
            "reference_id": PAYLOAD["referenceID"],
            "transaction_id": 42,
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            delivery = callback_enqueue(**arguments)
        if delivery is not None:
            delivery.refresh_from_db()
        return delivery

    return run


def test_a_2xx_answer_marks_the_callback_delivered(endpoint, receiver, enqueue):
    delivery = enqueue()

    assert delivery.status == CallbackDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.delivered_at is not None
    assert delivery.transaction_id == 42
    assert delivery.url == receiver.url
    [received] = receiver.requests
    assert received.signature_valid
    assert received.json == PAYLOAD
    assert received.headers["Content-Type"].startswith("application/json")
    assert received.headers["X-Callback-ID"] == str(delivery.pk)
    # The body is kept exactly as sent, and the signature is HMAC-SHA256 of those bytes.
    assert received.body == delivery.body.encode()
    expected = hmac.new(endpoint.secret.encode(), received.body, hashlib.sha256)
    assert received.headers["X-Signature"] == f"sha256={expected.hexdigest()}"
    [attempt] = delivery.attempt_log.all()
    assert attempt.http_status == 200
    assert attempt.response_excerpt == '{"status":"OK","pesan":"diterima"}'
    assert attempt.error == ""


def test_no_callback_is_queued_without_a_url(partner, enqueue):
    assert enqueue() is None
    CallbackEndpointFactory(partner=partner, url="")
    assert enqueue() is None
    assert not CallbackDelivery.objects.exists()


def test_the_callback_goes_to_the_url_of_its_environment(partner, endpoint, enqueue):
    assert enqueue(environment="production") is None
    assert enqueue(environment="development") is not None


def test_a_failing_receiver_is_retried_until_it_answers(
    endpoint, receiver, enqueue, settings
):
    settings.CALLBACK_RETRY_BASE_SECONDS = 0
    receiver.statuses = [500, 500, 200]

    delivery = enqueue()

    assert delivery.status == CallbackDelivery.Status.DELIVERED
    assert delivery.attempts == 3
    statuses = list(delivery.attempt_log.values_list("http_status", flat=True))
    assert statuses == [500, 500, 200]
    assert len(receiver.requests) == 3
    assert all(r.signature_valid for r in receiver.requests)
    assert len({r.body for r in receiver.requests}) == 1


def test_a_receiver_that_always_fails_ends_failed_after_every_attempt(
    endpoint, receiver, enqueue, settings
):
    settings.CALLBACK_RETRY_BASE_SECONDS = 0
    receiver.statuses = [500]
    receiver.answer = b"Internal Server Error"

    delivery = enqueue()

    assert delivery.status == CallbackDelivery.Status.FAILED
    assert CALLBACK_MAX_ATTEMPTS >= 6
    assert delivery.attempts == CALLBACK_MAX_ATTEMPTS
    assert CallbackAttempt.objects.filter(delivery=delivery).count() == (
        CALLBACK_MAX_ATTEMPTS
    )
    assert len(receiver.requests) == CALLBACK_MAX_ATTEMPTS
    assert delivery.next_attempt_at is None
    last = delivery.attempt_log.last()
    assert (last.http_status, last.response_excerpt) == (500, "Internal Server Error")


def test_an_unreachable_server_is_recorded_as_an_error(partner, enqueue, settings):
    settings.CALLBACK_RETRY_BASE_SECONDS = 0
    # Port 9 (discard) on this machine: nothing listens, the connection is refused.
    CallbackEndpointFactory(partner=partner, url="http://127.0.0.1:9/callback")

    delivery = enqueue()

    assert delivery.status == CallbackDelivery.Status.FAILED
    attempt = delivery.attempt_log.first()
    assert attempt.http_status is None
    assert attempt.error.startswith("Gagal terhubung")


def test_a_long_answer_is_kept_as_its_first_500_characters(endpoint, receiver, enqueue):
    receiver.answer = b"x" * 2000

    delivery = enqueue()

    assert delivery.attempt_log.get().response_excerpt == "x" * 500
