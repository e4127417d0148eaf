"""The Open API through the upstream layer (billers): which provider is asked, what the
transaction records, and rc 73 "gangguan" when no provider can serve a product. The providers
here are in process; the network ones are tested in billers/tests against real processes."""

import pytest

from billers import health
from billers.models import Provider, ProviderProduct
from billers.selectors import routes_forget
from billing.models import LedgerEntry, Transaction
from openapi.tests.helpers import balance, buy, inquire, ledger_sum, pay
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db
DEV = Environment.DEVELOPMENT


@pytest.fixture(autouse=True)
def _routes_fresh(settings):
    settings.BILLERS_ROUTES_TTL = 0
    routes_forget()
    yield
    routes_forget()


def _network_provider(code="net1"):
    return Provider.objects.create(
        code=code, name=code, kind=Provider.Kind.NETWORK, base_url="http://127.0.0.1:9"
    )


def test_a_product_without_routes_is_bought_from_the_default_simulator_with_its_prices(
    dev_api, prepaid, postpaid, funded
):
    bought = buy(dev_api, prepaid, "530000000001", "S-SIM")
    inquire(dev_api, postpaid, "530000000001", "P-SIM")
    paid = pay(dev_api, postpaid, "530000000001", "P-SIM")

    assert bought["rc"] == paid["rc"] == "00"
    simulator = Provider.objects.get(code="sim")
    sold = Transaction.objects.get(reference_id="S-SIM")
    assert sold.provider == simulator
    assert sold.sell_price == sold.total == 20_500
    assert sold.buy_price == 20_500  # no route: bought at what it is sold for
    assert len(sold.upstream_ref) == 20 and sold.upstream_ref.startswith("W")
    postpaid_txn = Transaction.objects.get(reference_id="P-SIM")
    assert postpaid_txn.buy_price == postpaid_txn.tagihan  # the route's admin fee: 0


def test_a_route_gives_the_buy_price_of_that_provider(dev_api, prepaid, funded):
    simulator = Provider.objects.get(code="sim")
    ProviderProduct.objects.create(
        product=prepaid, provider=simulator, priority=1, buy_price=20_150
    )
    buy(dev_api, prepaid, "530000000001", "S-ROUTE")

    txn = Transaction.objects.get(reference_id="S-ROUTE")
    assert (txn.provider_id, txn.buy_price, txn.sell_price) == (
        simulator.pk,
        20_150,
        20_500,
    )


def test_every_provider_out_answers_rc_73_at_once_without_a_debit(
    dev_api, prepaid, postpaid, funded
):
    provider = _network_provider()
    for product in (prepaid, postpaid):
        ProviderProduct.objects.create(product=product, provider=provider)
    health.breaker_reset(provider.pk)
    health._trip(provider.pk)  # its breaker is open: nothing is sent to it

    bought = buy(dev_api, prepaid, "530000000001", "S-DOWN")
    asked = inquire(dev_api, postpaid, "530000000001", "P-DOWN")
    status = dev_api.call("/Services/get-Active-Product", {"productID": prepaid.code})

    assert bought["rc"] == "73" and "gangguan" in bought["description"]
    assert asked["rc"] == "73"
    assert status["record"][0]["status"] == "GANGGUAN"
    assert not Transaction.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DEBIT).exists()
    assert balance(funded, DEV) == 10_000_000 == ledger_sum(funded, DEV)
    health.breaker_reset(provider.pk)


def test_a_disabled_default_provider_leaves_unrouted_products_gangguan(
    dev_api, prepaid, funded
):
    Provider.objects.filter(code="sim").update(enabled=False)

    bought = buy(dev_api, prepaid, "530000000001", "S-OFF")

    assert bought["rc"] == "73"
    assert balance(funded, DEV) == 10_000_000
    assert not Transaction.objects.exists()


def test_a_code_we_do_not_know_keeps_a_payment_pending_and_fails_an_inquiry(
    dev_api, prepaid, postpaid, funded, monkeypatch
):
    """An upstream answering a code outside our table (a newer version of its own): the
    money is never returned on a code nobody here can read."""
    from billers.adapters.base import BillerAnswer
    from billers.adapters.simulator import SimulatorAdapter

    monkeypatch.setattr(SimulatorAdapter, "pay", lambda self, call: BillerAnswer("9X"))
    monkeypatch.setattr(
        SimulatorAdapter, "inquiry", lambda self, call: BillerAnswer("9X")
    )

    bought = buy(dev_api, prepaid, "530000000001", "S-9X")
    asked = inquire(dev_api, postpaid, "530000000001", "P-9X")

    assert bought["rc"] == "71"
    assert asked["rc"] == "01"
    txn = Transaction.objects.get(reference_id="S-9X")
    assert txn.status == Transaction.Status.PENDING
    assert balance(funded, DEV) == 10_000_000 - 20_500 == ledger_sum(funded, DEV)


def test_an_adapter_that_breaks_after_the_debit_leaves_the_payment_pending_not_a_500(
    dev_api, prepaid, funded, monkeypatch
):
    """Whatever an adapter raises once it was called, the money is already taken and the
    provider may have done it: the partner gets the pending rc, the money waits for the
    status check."""
    from billers.adapters.simulator import SimulatorAdapter

    def broken(self, call):
        raise KeyError("sn")

    monkeypatch.setattr(SimulatorAdapter, "pay", broken)

    bought = buy(dev_api, prepaid, "530000000001", "S-BROKEN")

    assert bought["rc"] == "71"
    txn = Transaction.objects.get(reference_id="S-BROKEN")
    assert txn.status == Transaction.Status.PENDING
    assert balance(funded, DEV) == 10_000_000 - 20_500 == ledger_sum(funded, DEV)
