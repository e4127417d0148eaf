"""The deadline of an Open API call (API_DEADLINE_SECONDS), counted from its arrival (at
the proxy, when a trusted one says so in X-Request-Start): the upstream gets what is left of
it; past it a payment answers pending and goes on in the background; a call that arrives with
nothing left takes no money and asks no provider. Through the Open API to the network
simulator as a real process, on PostgreSQL."""

import time

import pytest

from billing.models import LedgerEntry, Transaction
from openapi.fields import money
from openapi.services import pending_resolve_now
from openapi.tests import test_pending as pending_tests
from openapi.tests.helpers import balance, buy, ledger_sum
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db(transaction=True)
held = pending_tests.held
DEV = Environment.DEVELOPMENT
FUNDS = 10_000_000


def _slow(netsim, seconds: float) -> None:
    """Every answer of the simulator (pay and status alike) takes 0.8–1.2 × ``seconds``."""
    netsim.control(latency_tail_ms=seconds * 1000, tail_share=1.0)


def _call(api, path: str, body: dict, *, queued: float | None = None) -> dict:
    """``body`` to ``path`` as it reaches the node from nginx, which received it ``queued``
    seconds ago (no X-Request-Start header when None)."""
    full = {
        "merchantID": api.credential.merchant_id,
        "sessionID": api.sign_on(),
        **body,
    }
    extra = {}
    if queued is not None:
        extra["HTTP_X_REQUEST_START"] = f"t={time.time() - queued:.3f}"
    return api.post(path, full, **extra).json()


def _buy_body(product, reference_id: str, customer_id: str = "081200000001") -> dict:
    return {
        "productID": product.code,
        "customerID": customer_id,
        "referenceID": reference_id,
        "tagihan": money(product.price),
        "admin": money(0),
        "total": money(product.price),
    }


def test_past_the_deadline_a_payment_answers_pending_and_ends_final_later(
    dev_api, prepaid, funded, netsim, make_provider, settings, held
):
    settings.API_DEADLINE_SECONDS = 1.0
    make_provider("net1", netsim.url, products=[prepaid], timeout=10)
    _slow(netsim, 3.0)  # the provider's answer comes after 2.4 s at the earliest

    bought = buy(dev_api, prepaid, "081200000001", "DL-1")

    assert bought["rc"] == "71" and bought["data"]["status"] == "PENDING"
    # Answered while the provider was still working on it.
    assert netsim.stats()["inflight"].get("pay") == 1
    txn = Transaction.objects.get()
    assert txn.status == Transaction.Status.PENDING
    assert balance(funded, DEV) == FUNDS - prepaid.price
    # The provider took it; the transaction goes on in the background.
    assert netsim.taken(txn.upstream_ref)["amount"] == prepaid.price
    held.assert_called_once_with(txn.pk)

    # The resolution asks the provider (as slow, but with the provider's own timeout).
    settled = pending_resolve_now(transaction_id=txn.pk)

    assert settled.status == Transaction.Status.SUKSES
    assert LedgerEntry.objects.filter(transaction=txn).count() == 1
    assert balance(funded, DEV) == FUNDS - prepaid.price == ledger_sum(funded, DEV)


def test_the_upstream_gets_only_what_is_left_of_the_deadline(
    dev_api, prepaid, funded, netsim, make_provider, settings, held
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.API_DEADLINE_SECONDS = 25.0
    make_provider("net1", netsim.url, products=[prepaid], timeout=10)
    _slow(netsim, 1.5)

    fresh = _call(dev_api, "/Services/SinglePayment", _buy_body(prepaid, "DL-FRESH"))
    late = _call(
        dev_api,
        "/Services/SinglePayment",
        _buy_body(prepaid, "DL-LATE", "081200000002"),
        queued=24.5,  # 0.5 s left: less than the provider takes
    )

    assert fresh["rc"] == "00"
    assert late["rc"] == "71"
    assert Transaction.objects.get(reference_id="DL-LATE").status == "pending"


def test_the_header_of_an_untrusted_peer_does_not_shorten_the_deadline(
    dev_api, prepaid, funded, netsim, make_provider, settings, held
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]  # not the test client's 127.0.0.1
    make_provider("net1", netsim.url, products=[prepaid], timeout=10)

    bought = _call(
        dev_api, "/Services/SinglePayment", _buy_body(prepaid, "DL-ANY"), queued=300
    )

    assert bought["rc"] == "00"


def test_a_call_with_nothing_left_takes_no_money_and_asks_no_provider(
    dev_api, prepaid, postpaid, funded, netsim, make_provider, settings, held
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    make_provider("net1", netsim.url, products=[prepaid, postpaid], timeout=10)

    bought = _call(
        dev_api,
        "/Services/SinglePayment",
        _buy_body(prepaid, "DL-OLD"),
        queued=settings.API_DEADLINE_SECONDS + 1,
    )
    asked = _call(
        dev_api,
        "/Services/Inquiry",
        {"productID": postpaid.code, "customerID": "530000000001", "referenceID": "Q"},
        queued=settings.API_DEADLINE_SECONDS + 1,
    )

    assert bought["rc"] == "46" and "deposit tidak dipotong" in bought["description"]
    assert asked["rc"] == "46"
    assert not Transaction.objects.exists()
    assert balance(funded, DEV) == FUNDS == ledger_sum(funded, DEV)
    counts = netsim.stats()["counts"]
    assert not any(key.startswith("requests.") for key in counts), counts
    # Nothing was taken: the same referenceID may be sent again.
    again = _call(dev_api, "/Services/SinglePayment", _buy_body(prepaid, "DL-OLD"))
    assert again["rc"] == "00"
