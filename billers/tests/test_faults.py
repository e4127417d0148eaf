"""Faults of a provider on the network, end to end: through the Open API (Digest, session,
deposit) to the network simulator as a real process, on PostgreSQL. Whatever the provider
does, every debit ends in exactly one outcome (kept on success, given back once on failure),
the partner never gets a 500, and nothing is paid twice."""

import threading
import time

import pytest
from django.test import Client

from billers.models import Provider
from billers.netsim.testing import NetsimProcess
from billers.simulator import SimulatorBackend, bill_amount
from billers.tests.conftest import NETSIM_ARGS, NETSIM_KEY
from billing.models import LedgerEntry, Transaction
from connections.models import CallbackDelivery
from connections.tests.factories import CallbackEndpointFactory
from openapi.fields import money
from openapi.models import ApiLog
from openapi.services import pending_resolve_now
from openapi.tasks import pending_resolve
from openapi.tests import test_pending as pending_tests
from openapi.tests.helpers import balance, buy, inquire, ledger_sum, pay
from openapi.tests.test_concurrency import _api, _in_threads
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db(transaction=True)
# Resolutions held (the Open API's fixtures come from billers/tests/conftest.py).
held = pending_tests.held
DEV = Environment.DEVELOPMENT
FUNDS = 10_000_000


def _resolve_all(seconds: float = 30.0) -> list[int]:
    """Ask the provider about every pending transaction until none is left (the
    simulator's pending ones become final after a second); those still pending."""
    deadline = time.monotonic() + seconds
    while True:
        pending = list(
            Transaction.objects.filter(status=Transaction.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        if not pending or time.monotonic() > deadline:
            return pending
        for pk in pending:
            pending_resolve_now(transaction_id=pk)
        time.sleep(0.2)


def _assert_ledger_exact(partner, netsim=None) -> None:
    """Each transaction: one debit, and one reversal exactly when it failed; the deposit
    equals its ledger; what the simulator charged is exactly our successes."""
    success_total = 0
    for txn in Transaction.objects.all():
        kinds = sorted(
            LedgerEntry.objects.filter(transaction=txn).values_list("kind", flat=True)
        )
        if txn.status == Transaction.Status.SUKSES:
            assert kinds == ["debit"], txn
            success_total += txn.total
        else:
            assert txn.status == Transaction.Status.GAGAL, txn
            assert kinds == ["debit", "reversal"], txn
        if netsim is not None:
            taken = netsim.taken(txn.upstream_ref)
            charged = taken is not None and taken["final"]["status"] == "success"
            assert charged == (txn.status == Transaction.Status.SUKSES), txn
    assert balance(partner, DEV) == FUNDS - success_total == ledger_sum(partner, DEV)
    if netsim is not None:
        assert netsim.stats()["book"]["charged"] == success_total


def test_a_network_provider_answers_as_the_in_process_simulator_does(
    dev_api, postpaid, funded, netsim, make_provider
):
    provider = make_provider("net1", netsim.url, products=[postpaid])
    postpaid.routes.update(buy_price=1_500)  # the provider's admin fee

    asked = inquire(dev_api, postpaid, "530000000001", "NET-1")
    paid = pay(dev_api, postpaid, "530000000001", "NET-1")

    expected = SimulatorBackend().receipt(product=postpaid, customer_id="530000000001")
    assert asked["rc"] == paid["rc"] == "00"
    assert asked["data"]["nama"] == paid["data"]["nama"] == expected["nama"]
    assert asked["data"]["tagihan"] == money(bill_amount("530000000001"))
    assert paid["data"]["noReferensi"] == expected["noReferensi"]
    assert paid["data"]["sn"] == expected["sn"]
    txn = Transaction.objects.get()
    assert txn.provider == provider and txn.provider_ref.startswith("NS")
    assert (txn.buy_price, txn.sell_price) == (txn.tagihan + 1_500, txn.total)
    assert netsim.taken(txn.upstream_ref)["amount"] == txn.total
    _assert_ledger_exact(funded, netsim)


@pytest.mark.parametrize(
    "switches",
    [
        {"down": True},
        {"maintenance": True},
        {"http503_share": 1.0},
        {"closed_products": ["100312"]},
    ],
    ids=["down", "maintenance", "http-503", "product-closed"],
)
def test_a_provider_that_does_not_take_it_hands_it_to_the_next(
    dev_api, prepaid, funded, netsim, make_provider, switches
):
    make_provider("net1", netsim.url, products=[prepaid], priority=1)
    second = make_provider(
        "sim2", products=[prepaid], priority=2, kind=Provider.Kind.SIMULATOR
    )
    netsim.control(**switches)

    bought = buy(dev_api, prepaid, "081200000001", "OVER-1")

    assert bought["rc"] == "00" and bought["data"]["token"]
    txn = Transaction.objects.get()
    assert txn.provider == second
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DEBIT).count() == 1
    assert netsim.stats()["book"]["taken"] == 0
    _assert_ledger_exact(funded)


def test_every_provider_down_answers_gangguan_and_keeps_the_deposit(
    dev_api, prepaid, postpaid, funded, netsim, make_provider, settings
):
    settings.BILLERS_BREAKER_FAILURES = 2
    for code in ("net1", "net2"):
        make_provider(code, netsim.url, products=[prepaid, postpaid])
    netsim.control(down=True)

    answers = [
        buy(dev_api, prepaid, "081200000001", f"DOWN-{n}")["rc"] for n in range(4)
    ]
    last = buy(dev_api, prepaid, "081200000001", "DOWN-LAST")
    asked = inquire(dev_api, postpaid, "530000000001", "DOWN-INQ")

    assert answers == ["73"] * 4 and asked["rc"] == "73"
    assert last["rc"] == "73" and "deposit tidak dipotong" in last["description"]
    # Refused at the call: debited and given back; once the breakers are open: no debit.
    assert Transaction.objects.count() == 2
    assert not Transaction.objects.filter(reference_id="DOWN-LAST").exists()
    assert netsim.stats()["book"]["taken"] == 0
    _assert_ledger_exact(funded)


@pytest.mark.parametrize(
    "timeout_share,customer,final",
    [
        (1.0, "081200000017", Transaction.Status.GAGAL),
        (1.0, "081200000001", Transaction.Status.SUKSES),
        (0.0, "081200000039", Transaction.Status.GAGAL),
    ],
    ids=["timeout-then-failed", "timeout-then-success", "biller-timeout-39"],
)
def test_a_payment_unanswered_after_sending_is_pending_then_final_by_polling(
    dev_api,
    prepaid,
    funded,
    netsim,
    make_provider,
    held,
    timeout_share,
    customer,
    final,
):
    make_provider("net1", netsim.url, products=[prepaid], timeout=1.0)
    netsim.control(timeout_share=timeout_share, fault_paths=["pay"])

    bought = buy(dev_api, prepaid, customer, "LATE-1")

    assert bought["rc"] == "71" and bought["data"]["status"] == "PENDING"
    txn = Transaction.objects.get()
    assert txn.status == Transaction.Status.PENDING
    assert balance(funded, DEV) == FUNDS - txn.total
    assert (
        netsim.taken(txn.upstream_ref) is not None
    )  # it was taken: never sent elsewhere
    held.assert_called_once_with(txn.pk)
    netsim.control(timeout_share=0.0)

    deadline = time.monotonic() + 20
    while txn.status == Transaction.Status.PENDING and time.monotonic() < deadline:
        pending_resolve.apply(
            args=[txn.pk]
        )  # the scheduled check, as the worker runs it
        txn.refresh_from_db()
        time.sleep(0.2)
    pending_resolve.apply(args=[txn.pk])  # once more: nothing changes

    assert txn.status == final
    assert txn.provider_ref.startswith("NS")
    if final == Transaction.Status.SUKSES:
        assert txn.response["data"]["token"]
    _assert_ledger_exact(funded, netsim)


def test_a_late_callback_racing_the_poll_resolves_once(
    dev_api, prepaid, funded, netsim, make_provider, held, callback_catcher
):
    provider = make_provider("net1", netsim.url, products=[prepaid])
    CallbackEndpointFactory(partner=funded, url=callback_catcher.url)
    assert buy(dev_api, prepaid, "081200000017", "RACE-1")["rc"] == "71"
    txn = Transaction.objects.get()

    deadline = time.monotonic() + 15
    while not netsim.callbacks() and time.monotonic() < deadline:
        time.sleep(0.1)
    sent = netsim.callbacks()[0]
    assert sent["ref"] == txn.upstream_ref
    headers = {k: v for k, v in sent["headers"].items()}
    forged = Client().post(
        f"/upstream/callback/{provider.code}",
        sent["body"].replace('"17"', '"00"'),
        content_type="application/json",
        headers=headers,
    )

    def work(i):
        if i % 2:
            return pending_resolve_now(transaction_id=txn.pk).status
        return (
            Client()
            .post(
                f"/upstream/callback/{provider.code}",
                sent["body"],
                content_type="application/json",
                headers=headers,
            )
            .json()["status"]
        )

    answers = _in_threads(8, work)

    assert forged.status_code == 403
    assert sorted(set(answers)) == ["gagal", "ok"], answers
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.GAGAL and txn.rc == "17"
    assert LedgerEntry.objects.filter(transaction=txn, kind="reversal").count() == 1
    assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1
    _assert_ledger_exact(funded, netsim)


@pytest.mark.parametrize("fault", ["garbage", "html"])
def test_a_provider_answering_garbage_or_html_makes_a_suspect_not_a_500(
    dev_api, prepaid, postpaid, funded, netsim, make_provider, held, fault
):
    make_provider("net1", netsim.url, products=[prepaid, postpaid])
    netsim.control(**{f"{fault}_share": 1.0})

    bought = buy(dev_api, prepaid, "081200000001", "JUNK-1")  # asserts HTTP 200, JSON
    asked = inquire(dev_api, postpaid, "530000000001", "JUNK-2")

    assert bought["rc"] == "71" and bought["data"]["status"] == "PENDING"
    assert asked["rc"] == "73"  # an inquiry moves no money: no provider could answer
    netsim.control(**{f"{fault}_share": 0.0})
    assert _resolve_all() == []
    assert Transaction.objects.get().status == Transaction.Status.SUKSES
    _assert_ledger_exact(funded, netsim)


def test_the_simulator_killed_and_restarted_mid_run_leaves_every_transaction_final(
    dev_api, prepaid, funded, make_provider, held, settings, tmp_path
):
    settings.BILLERS_BREAKER_FAILURES = 1000  # keep asking it: this is about the kill
    # Every answer takes 4 to 6 s: the kill lands while all of them wait.
    slow = ("--latency-tail-ms", "5000", "--tail-share", "1")
    server = NetsimProcess(
        key=NETSIM_KEY, state=tmp_path / "netsim.jsonl", args=(*NETSIM_ARGS, *slow)
    ).start()
    try:
        make_provider("net1", server.url, products=[prepaid], timeout=10.0)
        session_id = dev_api.sign_on()
        suffixes = ["01", "71", "17"]

        def work(i):
            api = _api(dev_api.credential, session_id)
            customer = f"08120000{i:02d}{suffixes[i % 3]}"
            return buy(api, prepaid, customer, f"KILL-{i}")["rc"]

        in_flight: list = []
        runner = threading.Thread(target=lambda: in_flight.extend(_in_threads(6, work)))
        runner.start()
        deadline = time.monotonic() + 20
        while server.stats()["book"]["taken"] < 6 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()  # all six taken, none answered yet
        runner.join(60)
        while_down = [work(10 + i) for i in range(2)]
        server.start()
        server.control(latency_tail_ms=0.0)
        after = [work(i) for i in (21, 22, 23)]  # suffixes 01, 71, 17

        assert in_flight == ["71"] * 6
        assert while_down == ["73", "73"]
        assert after == ["00", "71", "71"]
        assert _resolve_all() == []
        _assert_ledger_exact(funded, server)
        # 01 and 71 numbers succeed (4 in flight, 2 after), 17 ones and refusals fail.
        assert Transaction.objects.filter(status="sukses").count() == 6
        assert Transaction.objects.filter(status="gagal").count() == 5
    finally:
        server.close()


def test_50_payments_while_the_only_provider_flaps_each_debit_has_one_outcome(
    dev_api, prepaid, funded, netsim, make_provider, held, settings
):
    settings.BILLERS_BREAKER_FAILURES = 1000
    make_provider("net1", netsim.url, products=[prepaid], timeout=1.0)
    netsim.control(
        latency_mean_ms=40, timeout_share=0.1, http500_share=0.05, fault_paths=["pay"]
    )
    session_id = dev_api.sign_on()
    stop = threading.Event()
    flips = []

    def flap():
        while not stop.is_set():
            netsim.control(down=not (len(flips) % 2))
            flips.append(1)
            stop.wait(0.1)

    suffixes = ["01", "71", "17"]

    def work(i):
        api = _api(dev_api.credential, session_id)
        answers = []
        for n in range(2):
            customer = f"0812{i:04d}{n}{suffixes[(2 * i + n) % 3]}"
            answers.append(buy(api, prepaid, customer, f"FLAP-{i}-{n}")["rc"])
        return answers

    flapper = threading.Thread(target=flap)
    flapper.start()
    try:
        results = _in_threads(25, work)
    finally:
        stop.set()
        flapper.join()
    netsim.control(down=False, timeout_share=0.0, http500_share=0.0)

    answers = [rc for batch in results for rc in batch]
    assert len(answers) == 50 and set(answers) <= {"00", "71", "73"}, results
    assert len(flips) >= 2
    assert _resolve_all() == []
    _assert_ledger_exact(funded, netsim)
    # rc 73 without a row: refused while the port was down and no transaction made.
    assert Transaction.objects.count() <= 50


def test_provider_credentials_never_reach_the_logs_or_the_api_log(
    dev_api, prepaid, funded, netsim, make_provider, held, caplog, monkeypatch
):
    caplog.set_level("DEBUG")
    make_provider("net1", netsim.url, products=[prepaid], timeout=0.5)
    netsim.control(timeout_share=1.0, fault_paths=["pay"])
    buy(dev_api, prepaid, "081200000001", "SECRET-1")  # a timeout: logged by routing
    netsim.control(timeout_share=0.0)
    monkeypatch.setenv("NETSIMTEST_DEVELOPMENT_KEY", NETSIM_KEY + "-wrong")
    buy(dev_api, prepaid, "081200000001", "SECRET-2")  # refused: 401, logged
    monkeypatch.setenv("NETSIMTEST_DEVELOPMENT_KEY", NETSIM_KEY)
    _resolve_all()

    logged = caplog.text + repr(list(ApiLog.objects.values()))
    assert "provider net1 pay" in caplog.text
    assert NETSIM_KEY not in logged
    assert "X-H2H-Signature" not in logged
