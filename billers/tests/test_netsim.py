"""The H2H adapter against the network simulator as a real process: the development numbers
answer as in process, and every fault maps to ``Refused`` (not taken: try the next provider)
or ``Unknown`` (maybe taken: ask the status later)."""

import time

import pytest

from billers.adapters.base import Call, CallbackRejected, Refused, Unknown
from billers.adapters.h2h import H2HAdapter
from billers.models import Provider
from billers.netsim.config import Config, latency_seconds, rng_for
from billers.netsim.testing import NetsimError, NetsimProcess
from billers.simulator import bill_amount, customer_name
from billers.tests.conftest import NETSIM_ARGS, NETSIM_ENV, NETSIM_KEY

PLN = "100301"  # PLN Pascabayar
TOKEN = "100312"  # PLN Token 20.000 (prepaid Listrik: a token in the receipt)


def _adapter(netsim, environment="development", timeout=1.0) -> H2HAdapter:
    provider = Provider(
        code="ns",
        name="Netsim",
        kind=Provider.Kind.NETWORK,
        base_url=netsim.url,
        credentials_env=NETSIM_ENV,
        timeout_seconds=timeout,
    )
    return H2HAdapter(provider, environment)


def _call(customer, ref, *, code=PLN, amount=0, timeout=1.0) -> Call:
    return Call(
        environment="development",
        product=None,
        provider_code=code,
        customer_id=customer,
        reference=ref,
        timeout=timeout,
        amount=amount,
    )


def _until(check, seconds=15.0):
    """``check()``'s first truthy value, asked until ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _final(adapter, call, seconds=15.0) -> str:
    return _until(
        lambda: (rc := adapter.status(call).rc) not in ("71", "19") and rc, seconds
    )


def test_an_inquiry_answers_the_development_bill(netsim, netsim_key):
    adapter = _adapter(netsim)

    answer = adapter.inquiry(_call("530000000001", "INQ-1"))

    assert answer.rc == "00"
    assert answer.data == {
        "idPelanggan": "530000000001",
        "nama": customer_name("530000000001"),
        "tagihan": bill_amount("530000000001"),
        "periode": 1,
        "rincianTagihan": [{"bulan": 1, "tagihan": bill_amount("530000000001")}],
    }
    assert adapter.inquiry(_call("530000000065", "INQ-2")).rc == "65"
    assert adapter.inquiry(_call("530000000064", "INQ-3")).rc == "64"
    assert netsim.stats()["book"]["taken"] == 0  # an inquiry takes no payment


def test_a_payment_sent_again_is_answered_the_same_and_paid_once(netsim, netsim_key):
    adapter = _adapter(netsim)
    call = _call("081200000001", "PAY-TWICE", code=TOKEN, amount=21_500)

    first = adapter.pay(call)
    again = adapter.pay(call)

    assert first.rc == again.rc == "00"
    assert first.data["token"] and first.data == again.data
    assert (
        first.provider_ref.startswith("NS") and first.provider_ref == again.provider_ref
    )
    stats = netsim.stats()
    assert stats["counts"]["resent"] == 1
    assert stats["book"]["taken"] == 1 and stats["book"]["charged"] == 21_500
    # A different payment under a reference already used is not taken.
    with pytest.raises(Refused, match="ref_conflict"):
        adapter.pay(_call("081200000001", "PAY-TWICE", code=TOKEN, amount=1))


@pytest.mark.parametrize("suffix,final", [("71", "00"), ("17", "17")])
def test_a_pending_payment_becomes_final_later(netsim, netsim_key, suffix, final):
    adapter = _adapter(netsim)
    call = _call(f"5300000000{suffix}", f"PEND-{suffix}", code=TOKEN, amount=21_500)

    assert adapter.pay(call).rc == "71"
    assert adapter.status(call).rc in ("71", final)

    assert _final(adapter, call) == final
    if final == "00":
        assert adapter.status(call).data["token"]
    assert netsim.stats()["book"]["charged"] == (21_500 if final == "00" else 0)


def test_a_biller_timeout_number_is_held_unanswered_then_fails(netsim, netsim_key):
    adapter = _adapter(netsim)
    call = _call("530000000039", "HOLD-39", amount=100_000, timeout=0.5)

    with pytest.raises(Unknown, match="timeout"):
        adapter.pay(call)

    assert netsim.taken("HOLD-39")["hold"] is True
    assert _final(adapter, call) == "17"


@pytest.mark.parametrize(
    "switches,reason",
    [
        ({"maintenance": True}, "rejected: maintenance"),
        ({"closed_products": [PLN]}, "rejected: product_closed"),
        # Refused at connect; or 503 on a keep-alive connection opened before.
        ({"down": True}, "connect|http 503"),
        ({"http503_share": 1.0}, "http 503"),
    ],
    ids=["maintenance", "product-closed", "down", "http-503"],
)
def test_a_request_not_taken_is_refused(netsim, netsim_key, switches, reason):
    netsim.control(**switches)
    adapter = _adapter(netsim)

    with pytest.raises(Refused, match=reason):
        adapter.pay(_call("530000000001", "NOT-TAKEN", amount=100_000))
    with pytest.raises(Refused):
        adapter.inquiry(_call("530000000001", "NOT-TAKEN"))

    assert netsim.stats()["book"]["taken"] == 0


def test_a_connection_opened_before_the_port_went_down_is_answered_503(
    netsim, netsim_key
):
    adapter = _adapter(netsim)
    adapter.inquiry(_call("530000000001", "KEPT-1"))  # a pooled keep-alive connection
    netsim.control(down=True)

    with pytest.raises(Refused, match="http 503"):
        adapter.pay(_call("530000000001", "KEPT-2", amount=100_000))

    stats = netsim.stats()
    assert stats["up"] is False and stats["book"]["taken"] == 0
    assert stats["counts"]["answers.down"] == 1
    netsim.control(down=False)
    assert adapter.inquiry(_call("530000000001", "KEPT-3")).rc == "00"


@pytest.mark.parametrize("fault", ["http500", "garbage", "html", "timeout"])
def test_a_payment_taken_then_not_answered_readably_is_unknown(
    netsim, netsim_key, fault
):
    netsim.control(**{f"{fault}_share": 1.0, "fault_paths": ["pay"]})
    adapter = _adapter(netsim, timeout=0.5)
    call = _call("530000000001", f"TAKEN-{fault}", amount=100_000, timeout=0.5)

    with pytest.raises(Unknown):
        adapter.pay(call)

    assert netsim.taken(call.reference) is not None
    assert adapter.status(call).rc == "00"  # the status tells what became of it


def test_a_reset_connection_is_unknown_and_its_status_voids_it(netsim, netsim_key):
    netsim.control(reset_share=1.0, fault_paths=["pay"])
    adapter = _adapter(netsim)
    call = _call("530000000001", "RESET-1", amount=100_000)

    with pytest.raises(Unknown):
        adapter.pay(call)

    assert netsim.taken("RESET-1") is None
    assert adapter.status(call).rc == "17"  # never taken, and now never will be
    netsim.control(reset_share=0.0)
    assert adapter.pay(call).rc == "17"
    assert netsim.stats()["book"]["charged"] == 0


def test_without_voiding_a_reference_never_taken_stays_pending(netsim, netsim_key):
    netsim.control(void_unknown=False)

    assert _adapter(netsim).status(_call("530000000001", "NEVER")).rc == "19"


def test_requests_without_the_right_key_are_refused(netsim, netsim_key, monkeypatch):
    monkeypatch.setenv(f"{NETSIM_ENV}_DEVELOPMENT_KEY", "not-the-key")
    with pytest.raises(Refused, match="http 401"):
        _adapter(netsim).pay(_call("530000000001", "BAD-KEY", amount=1))

    with pytest.raises(Refused, match="no credential"):
        _adapter(netsim, environment="production").pay(
            _call("530000000001", "NO-KEY", amount=1)
        )

    counts = netsim.stats()["counts"]
    assert counts["requests.pay"] == 1  # the one without a key was never sent
    assert counts["answers.unsigned"] == 1


def test_balance_and_price_list(netsim, netsim_key):
    adapter = _adapter(netsim)
    before = adapter.balance()
    adapter.pay(_call("081200000001", "BAL-1", code=TOKEN, amount=21_500))
    netsim.control(closed_products=[TOKEN])

    rows = {row.provider_code: row for row in adapter.price_list()}

    assert adapter.balance() == before - 21_500
    assert rows[TOKEN].price == 21_500 and rows[TOKEN].available is False
    assert rows[PLN].available is True


def test_the_final_status_of_a_pending_payment_is_called_back_signed(
    netsim, netsim_key, callback_catcher
):
    netsim.control(callback_url=callback_catcher.url)
    adapter = _adapter(netsim)
    assert adapter.pay(_call("530000000071", "CB-1", amount=100_000)).rc == "71"

    assert callback_catcher.arrived.wait(15)
    sent = callback_catcher.received[0]
    event = adapter.callback_parse(headers=sent["headers"], body=sent["body"])

    assert event.reference == "CB-1"
    assert event.answer.rc == "00" and event.answer.data["sn"]
    # The catcher sees the callback before the simulator reads its answer: wait for that.
    deadline = time.monotonic() + 10
    while not netsim.callbacks()[0]["delivered"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert netsim.callbacks()[0]["delivered"] is True
    tampered = sent["body"].replace(b'"00"', b'"17"')
    with pytest.raises(CallbackRejected):
        adapter.callback_parse(headers=sent["headers"], body=tampered)
    with pytest.raises(CallbackRejected):  # no Production key: not genuine for it
        _adapter(netsim, "production").callback_parse(
            headers=sent["headers"], body=sent["body"]
        )


def _refused_refs(adapter, refs) -> list[str]:
    refused = []
    for ref in refs:
        try:
            adapter.inquiry(_call("530000000001", ref))
        except Refused:
            refused.append(ref)
    return refused


def test_faults_are_reproducible_from_the_seed(netsim, netsim_key):
    adapter = _adapter(netsim)
    refs = [f"SEED-{n}" for n in range(24)]
    netsim.control(http503_share=0.5, fault_paths=["inquiry"])
    first = _refused_refs(adapter, refs)
    netsim.reset()
    netsim.control(http503_share=0.5, fault_paths=["inquiry"])
    again = _refused_refs(adapter, refs)
    netsim.reset()
    netsim.control(http503_share=0.5, fault_paths=["inquiry"], seed=17)
    other_seed = _refused_refs(adapter, refs)

    assert first == again
    assert 0 < len(first) < len(refs)
    assert other_seed != first


@pytest.mark.parametrize(
    "switches",
    [
        {"no_such_switch": 1},
        {"timeout_share": 2},
        {"down": "yes"},
        {"fault_paths": ["x"]},
    ],
)
def test_control_refuses_unknown_switches_and_bad_values(netsim, switches):
    with pytest.raises(NetsimError, match="400"):
        netsim.control(**switches)


def test_latency_draws_follow_the_mean_and_the_tail():
    rng = rng_for(1, "pay", "R", 0)

    assert latency_seconds(Config(), rng) == 0.0
    tail = latency_seconds(Config(latency_tail_ms=1000, tail_share=1.0), rng)
    assert 0.8 <= tail <= 1.2
    draws = [
        latency_seconds(Config(latency_mean_ms=300), rng_for(1, "pay", "R", n))
        for n in range(400)
    ]
    assert 0.25 < sum(draws) / len(draws) < 0.35


def test_a_simulator_restarted_with_its_state_file_remembers_what_it_took(
    netsim_key, tmp_path
):
    server = NetsimProcess(
        key=NETSIM_KEY, state=tmp_path / "netsim.jsonl", args=NETSIM_ARGS
    ).start()
    try:
        adapter = _adapter(server)
        call = _call("530000000071", "KEEP-1", amount=100_000)
        assert adapter.pay(call).rc == "71"
        port = server.port

        server.kill()
        with pytest.raises(Refused):
            adapter.status(call)
        server.start()

        assert server.port == port
        assert _final(adapter, call) == "00"
        assert adapter.pay(call).rc == "00"  # sent again: answered, not paid again
        assert server.stats()["book"] == {
            "taken": 1,
            "void": 0,
            "charged": 100_000,
            "success": 1,
            "pending": 0,
            "failed": 0,
        }
    finally:
        server.close()
