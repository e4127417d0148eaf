"""End to end: the final state of a pending transaction reaches the partner's callback
server, signed with its secret, and is retried when the server answers 500."""

import pytest
from django.utils import timezone

from billing.models import Transaction
from connections.models import CallbackDelivery
from connections.services import callback_endpoint_save
from openapi.tests.helpers import balance, buy, check_status, pay
from openapi.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(partner, owner):
    server = Receiver()
    endpoint = callback_endpoint_save(
        partner=partner, environment="development", url=server.url, actor=owner
    )
    server.secret = endpoint.secret
    yield server
    server.stop()


@pytest.fixture
def settle(django_capture_on_commit_callbacks):
    """Run a call and everything it queues (eager Celery: resolution, then callback)."""

    def run(call, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args)

    return run


def test_failed_pending_payment_is_called_back_signed(
    dev_api, postpaid, funded, receiver, settle
):
    paid = settle(pay, dev_api, postpaid, "530000000017", "CB-FAIL")

    assert paid["rc"] == "71"
    [callback] = receiver.received
    assert callback["signature_valid"]
    body = callback["json"]
    assert body["rc"] == "17" and body["referenceID"] == "CB-FAIL"
    assert body["productID"] == "100301" and body["customerID"] == "530000000017"
    assert body["merchantID"] == dev_api.credential.merchant_id
    assert body["data"]["status"] == "GAGAL"
    assert set(body) == {
        "merchantID",
        "productID",
        "customerID",
        "referenceID",
        "rc",
        "description",
        "data",
    }
    assert balance(funded, "development") == 10_000_000
    delivery = CallbackDelivery.objects.get()
    assert delivery.status == CallbackDelivery.Status.DELIVERED
    assert delivery.transaction_id == Transaction.objects.get().pk


def test_callback_is_retried_after_a_500(dev_api, prepaid, funded, receiver, settle):
    receiver.statuses = [500, 200]

    bought = settle(buy, dev_api, prepaid, "081200000071", "CB-RETRY")

    assert bought["rc"] == "71"
    assert [c["json"]["rc"] for c in receiver.received] == ["00", "00"]
    assert all(c["signature_valid"] for c in receiver.received)
    assert receiver.received[0]["json"]["data"]["token"]
    delivery = CallbackDelivery.objects.get()
    assert delivery.status == CallbackDelivery.Status.DELIVERED
    assert delivery.attempts == 2
    assert [a.http_status for a in delivery.attempt_log.order_by("pk")] == [500, 200]
    status = check_status(
        dev_api, prepaid, "081200000071", "CB-RETRY", timezone.localdate()
    )
    assert status["rc"] == "00"


def test_no_callback_for_an_immediate_answer(
    dev_api, prepaid, funded, receiver, settle
):
    assert settle(buy, dev_api, prepaid, "081200000001", "CB-NOW")["rc"] == "00"

    assert receiver.received == []
    assert not CallbackDelivery.objects.exists()
