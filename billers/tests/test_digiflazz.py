"""The Digiflazz adapter against a fake Digiflazz on real HTTP that follows its public
documentation (``billers/tests/fakes/digiflazz.py``): every adapter method, the signatures
both ways, and whole payments through our Open API with a Digiflazz route, its webhook
reaching our callback URL served over HTTP."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from django.db import connections

from billers import health
from billers.adapters import adapter_for
from billers.adapters.base import (
    Call,
    CallbackRejected,
    Refused,
    Unknown,
)
from billers.adapters.digiflazz import DigiflazzAdapter, hub_signature, md5
from billers.models import Provider, ProviderProduct
from billers.selectors import routes_forget
from billers.services import status_asked
from billers.tests.fakes.digiflazz import GAGAL, PENDING, FakeDigiflazz, Plan, Sku
from billers.tests.fakes.local import LiveProject, PartnerReceiver
from billing.models import LedgerEntry, Transaction
from connections.models import CallbackDelivery
from connections.tests.factories import CallbackEndpointFactory
from openapi.models import ApiLog
from openapi.services import pending_resolve_now
from openapi.tests import conftest as openapi_fixtures
from openapi.tests.helpers import balance, buy, inquire, ledger_sum, pay
from portal.celery import app as celery_app
from portal.lib.environments import Environment
from products.tests.factories import CategoryFactory, ProductFactory

# The Open API's quick password hashing (its other fixtures: billers/tests/conftest.py).
_fast_password_hashing = openapi_fixtures._fast_password_hashing

DEV = Environment.DEVELOPMENT
PROD = Environment.PRODUCTION
PREFIX = "DFZTEST"
USERNAME = "buyer-dfz-u53r"
DEV_KEY = "dev-KEY-7f3a9c51"
PROD_KEY = "prod-KEY-91bd22e0"
DEV_SECRET = "whsec-dev-4471aa"
PROD_SECRET = "whsec-prod-9d02bb"
SECRETS = (USERNAME, DEV_KEY, PROD_KEY, DEV_SECRET, PROD_SECRET)

PULSA = "xld10"
TOKEN = "pln20"
BILL = "pln"


@pytest.fixture(autouse=True)
def _fresh_routes():
    routes_forget()
    yield
    routes_forget()


@pytest.fixture
def credentials(monkeypatch):
    for environment, key, secret in (
        (DEV, DEV_KEY, DEV_SECRET),
        (PROD, PROD_KEY, PROD_SECRET),
    ):
        env = environment.upper()
        monkeypatch.setenv(f"{PREFIX}_{env}_USERNAME", USERNAME)
        monkeypatch.setenv(f"{PREFIX}_{env}_KEY", key)
        monkeypatch.setenv(f"{PREFIX}_{env}_WEBHOOK_SECRET", secret)
    return monkeypatch


@pytest.fixture
def fake(credentials):
    server = FakeDigiflazz(
        username=USERNAME,
        dev_key=DEV_KEY,
        prod_key=PROD_KEY,
        webhook_secret=DEV_SECRET,
    )
    for sku in (
        Sku(PULSA, "XL 10.000", price=10_150, brand="XL"),
        Sku(TOKEN, "PLN 20.000", price=20_300, category="PLN", brand="PLN"),
        Sku(
            BILL,
            "Pln Postpaid",
            postpaid=True,
            admin=2_750,
            commission=1_800,
            category="Pascabayar",
        ),
        Sku("tsel5", "Telkomsel 5.000", price=5_200, gangguan=True),
        Sku("isat5", "Indosat 5.000", price=5_300, active=False),
    ):
        server.skus[sku.code] = sku
    yield server
    server.stop()


@pytest.fixture
def provider(db, fake):
    """Digiflazz, served by the fake (its breaker as new: a run before may have left one
    under the same id in Redis)."""
    provider = Provider.objects.create(
        code="dfz",
        name="Digiflazz",
        kind=Provider.Kind.DIGIFLAZZ,
        base_url=fake.base_url,
        credentials_env=PREFIX,
        timeout_seconds=5,
    )
    health.breaker_reset(provider.pk)
    return provider


@pytest.fixture
def products(db):
    pulsa = CategoryFactory(slug="pulsa-dfz", name="Pulsa Prabayar")
    electricity = CategoryFactory(slug="listrik-dfz", name="Listrik")
    return {
        PULSA: ProductFactory(code="200101", category=pulsa, price=10_500),
        TOKEN: ProductFactory(code="200102", category=electricity, price=20_500),
        BILL: ProductFactory(code="200103", category=electricity, postpaid=True),
    }


def _call(product, sku, customer, reference, environment=DEV) -> Call:
    return Call(
        environment=environment,
        product=product,
        provider_code=sku,
        customer_id=customer,
        reference=reference,
        timeout=5,
    )


def _adapter(provider, environment=DEV) -> DigiflazzAdapter:
    return adapter_for(provider, environment)


def _bodies(fake, path="/v1/transaction") -> list[dict]:
    return [body for requested, body in fake.requests if requested == path]


# --- the adapter, method by method -----------------------------------------------------------


def test_the_kind_digiflazz_gives_this_adapter(provider):
    assert isinstance(adapter_for(provider, DEV), DigiflazzAdapter)


def test_balance_is_asked_with_the_documented_sign(provider, fake):
    fake.deposit = 1_234_567

    assert _adapter(provider).balance() == 1_234_567
    [body] = _bodies(fake, "/v1/cek-saldo")
    assert body == {
        "cmd": "deposit",
        "username": USERNAME,
        "sign": md5(USERNAME + DEV_KEY + "depo"),
    }


def test_production_signs_with_the_production_key(provider, fake):
    assert _adapter(provider, PROD).balance() == fake.deposit
    [body] = _bodies(fake, "/v1/cek-saldo")
    assert body["sign"] == md5(USERNAME + PROD_KEY + "depo")


def test_a_wrong_key_is_refused_by_the_fake(provider, fake, credentials):
    credentials.setenv(f"{PREFIX}_DEVELOPMENT_KEY", "not-the-key")

    with pytest.raises(Refused, match="rc 41"):
        _adapter(provider).balance()
    with pytest.raises(Refused, match="rc 41"):
        _adapter(provider).price_list()
    assert fake.records == {}


def test_an_unknown_username_is_refused(provider, fake, credentials):
    credentials.setenv(f"{PREFIX}_DEVELOPMENT_USERNAME", "someone-else")

    with pytest.raises(Refused, match="rc 42"):
        _adapter(provider).balance()


def test_without_credentials_nothing_is_sent(provider, fake, products, credentials):
    credentials.delenv(f"{PREFIX}_DEVELOPMENT_KEY")

    with pytest.raises(Refused, match="credentials"):
        _adapter(provider).pay(_call(products[PULSA], PULSA, "081200000001", "WREF1"))
    assert fake.requests == []


def test_price_list_reads_both_lists(provider, fake):
    rows = {row.provider_code: row for row in _adapter(provider).price_list()}

    assert [body["cmd"] for body in _bodies(fake, "/v1/price-list")] == [
        "prepaid",
        "pasca",
    ]
    assert {body["sign"] for body in _bodies(fake, "/v1/price-list")} == {
        md5(USERNAME + DEV_KEY + "pricelist")
    }
    assert rows[PULSA].price == 10_150 and rows[PULSA].available
    assert rows[TOKEN].name == "PLN 20.000"
    # A bill costs Digiflazz's admin less the buyer's commission on top of the bill.
    assert rows[BILL].price == 2_750 - 1_800
    assert not rows["tsel5"].available and not rows["isat5"].available


def test_a_prepaid_success_carries_the_sn(provider, fake, products):
    answer = _adapter(provider).pay(
        _call(products[PULSA], PULSA, "081200000001", "WREF2")
    )

    assert answer.rc == "00" and answer.data["sn"]
    [body] = _bodies(fake)
    assert body == {
        "username": USERNAME,
        "buyer_sku_code": PULSA,
        "customer_no": "081200000001",
        "ref_id": "WREF2",
        "sign": md5(USERNAME + DEV_KEY + "WREF2"),
        "testing": True,
    }
    assert fake.deposit == 5_000_000 - 10_150


def test_production_sends_no_testing_flag(provider, fake, products):
    _adapter(provider, PROD).pay(
        _call(products[PULSA], PULSA, "081200000001", "WREF3", PROD)
    )

    [body] = _bodies(fake)
    assert "testing" not in body
    assert fake.record("WREF3").mode == PROD


def test_a_pln_token_is_read_from_the_sn(provider, fake, products):
    answer = _adapter(provider).pay(
        _call(products[TOKEN], TOKEN, "530000000001", "WREF4")
    )

    token = fake.record("WREF4").sn.split("/")[0]
    assert answer.rc == "00"
    assert answer.data["token"] == token and len(token) == 24
    assert answer.data["kwh"] == "14.1"


def test_pending_then_success_by_sending_the_same_ref_id_again(
    provider, fake, products
):
    fake.plans["081200000071"] = Plan(first=PENDING, final="Sukses")
    call = _call(products[PULSA], PULSA, "081200000071", "WREF5")
    adapter = _adapter(provider)

    assert adapter.pay(call).rc == "71"
    assert adapter.status(call).rc == "71"
    fake.finish("WREF5", send=False)
    final = adapter.status(call)

    assert final.rc == "00" and final.data["sn"] == fake.record("WREF5").sn
    # The status checks were the very same top-up request: one transaction there.
    first, *checks = _bodies(fake)
    assert checks == [first, first]
    assert len(fake.records) == 1
    assert fake.deposit == 5_000_000 - 10_150


def test_pending_then_failure_is_rc_17_and_the_fake_refunds(provider, fake, products):
    fake.plans["081200000017"] = Plan(first=PENDING, final=GAGAL, pending_resends=1)
    call = _call(products[PULSA], PULSA, "081200000017", "WREF6")
    adapter = _adapter(provider)

    assert adapter.pay(call).rc == "71"
    assert adapter.status(call).rc == "71"
    assert adapter.status(call).rc == "17"
    assert fake.deposit == 5_000_000


@pytest.mark.parametrize(
    ("customer", "first", "final"),
    [
        ("087800001230", "00", "00"),
        ("087800001232", "17", "17"),
        ("087800001233", "71", "00"),
        ("087800001234", "71", "17"),
    ],
)
def test_the_documented_test_cases(provider, fake, products, customer, first, final):
    call = _call(products[PULSA], PULSA, customer, f"WTC{customer[-2:]}")
    adapter = _adapter(provider)

    assert adapter.pay(call).rc == first
    fake.finish(call.reference, send=False)
    assert adapter.status(call).rc == final


def test_a_wrong_number_is_rc_65(provider, fake, products):
    fake.plans["0812"] = Plan(first=GAGAL, rc="54")

    answer = _adapter(provider).pay(_call(products[PULSA], PULSA, "0812", "WREF7"))

    assert answer.rc == "65"


@pytest.mark.parametrize(
    ("sku", "rc"),
    [("tsel5", "55"), ("isat5", "43"), ("unknown", "43")],
    ids=["gangguan", "sku-off", "sku-unknown"],
)
def test_a_product_out_of_service_is_refused(provider, fake, products, sku, rc):
    with pytest.raises(Refused, match=f"rc {rc}"):
        _adapter(provider).pay(_call(products[PULSA], sku, "081200000001", "WREF8"))


def test_a_short_balance_at_digiflazz_is_refused(provider, fake, products):
    fake.deposit = 10_000

    with pytest.raises(Refused, match="rc 44"):
        _adapter(provider).pay(_call(products[PULSA], PULSA, "081200000001", "WREF9"))
    assert fake.records == {}


def test_a_service_down_is_refused_and_garbage_is_unknown(provider, fake, products):
    call = _call(products[PULSA], PULSA, "081200000001", "WREF10")
    adapter = _adapter(provider)
    fake.down = True
    with pytest.raises(Refused, match="http 503"):
        adapter.pay(call)
    assert fake.records == {}

    fake.down, fake.garble = False, True
    with pytest.raises(Unknown):
        adapter.pay(call)
    # It was taken: asked again, the fake answers its status.
    fake.garble = False
    assert adapter.status(call).rc == "00"


def test_a_status_check_refused_for_its_signature_stays_pending(
    provider, fake, products, credentials
):
    """rc 41 says nothing about the transaction: no refund of what may have succeeded."""
    fake.plans["081200000071"] = Plan(first=PENDING)
    call = _call(products[PULSA], PULSA, "081200000071", "WREF11")
    assert _adapter(provider).pay(call).rc == "71"
    credentials.setenv(f"{PREFIX}_DEVELOPMENT_KEY", "rotated-wrongly")

    with pytest.raises(Refused, match="rc 41"):
        _adapter(provider).status(call)
    answer = status_asked(
        environment=DEV,
        product=products[PULSA],
        provider_id=provider.pk,
        customer_id="081200000071",
        reference="WREF11",
    )
    assert answer.rc == "71"


def test_a_ref_id_reused_for_another_number_may_have_been_taken(
    provider, fake, products
):
    adapter = _adapter(provider)
    adapter.pay(_call(products[PULSA], PULSA, "081200000001", "WREF12"))

    with pytest.raises(Unknown, match="rc 49"):
        adapter.pay(_call(products[PULSA], PULSA, "081200000002", "WREF12"))


def test_a_bill_inquiry_pay_and_status(provider, fake, products):
    call = _call(products[BILL], BILL, "530000000001", "WBILL1")
    adapter = _adapter(provider)

    asked = adapter.inquiry(call)
    bill = fake.record("WBILL1", "inq-pasca").bill
    paid = adapter.pay(call)
    checked = adapter.status(call)

    assert asked.rc == "00"
    assert asked.data["nama"] == bill["customer_name"]
    assert asked.data["tagihan"] == bill["selling_price"] - 2_750
    assert asked.data["periode"] == 1
    assert asked.data["rincianTagihan"] == [
        {"bulan": "202605", "tagihan": asked.data["tagihan"]}
    ]
    assert paid.rc == "00" and paid.data["noReferensi"] == paid.data["sn"]
    assert paid.data["nama"] == bill["customer_name"]
    assert checked.rc == "00"
    assert [body["commands"] for body in _bodies(fake)] == [
        "inq-pasca",
        "pay-pasca",
        "status-pasca",
    ]
    assert {body["ref_id"] for body in _bodies(fake)} == {"WBILL1"}


def test_a_bill_paid_without_its_inquiry_fails(provider, fake, products):
    call = _call(products[BILL], BILL, "530000000001", "WBILL2")

    assert _adapter(provider).pay(call).rc == "17"
    assert _adapter(provider).status(call).rc == "17"


@pytest.mark.parametrize(("rc", "ours"), [("54", "65"), ("60", "62")])
def test_a_failed_inquiry_speaks_our_rc(provider, fake, products, rc, ours):
    fake.plans["530000000065"] = Plan(first=GAGAL, rc=rc)

    answer = _adapter(provider).inquiry(
        _call(products[BILL], BILL, "530000000065", "WBILL3")
    )

    assert answer.rc == ours


def test_a_prepaid_product_has_no_inquiry(provider, fake, products):
    with pytest.raises(Refused):
        _adapter(provider).inquiry(_call(products[PULSA], PULSA, "0812", "WREF13"))
    assert fake.requests == []


# --- webhooks, read by the adapter ------------------------------------------------------------


def _webhook(fake, provider, products, *, final=GAGAL, ref="WHOOK1"):
    fake.plans["081200000099"] = Plan(first=PENDING, final=final)
    _adapter(provider).pay(_call(products[TOKEN], TOKEN, "081200000099", ref))
    fake.finish(ref, send=False)
    return fake.webhook_body(ref)


def test_a_genuine_webhook_is_read(provider, fake, products):
    ProviderProduct.objects.create(
        product=products[TOKEN], provider=provider, provider_code=TOKEN
    )
    body = _webhook(fake, provider, products, final="Sukses")
    headers = {"X-Hub-Signature": hub_signature(DEV_SECRET, body)}

    event = _adapter(provider).callback_parse(headers=headers, body=body)

    assert event.reference == "WHOOK1"
    assert event.answer.rc == "00"
    assert event.answer.provider_ref == fake.record("WHOOK1").trx_id
    # The SKU names the product: a PLN token is read from the SN.
    assert event.answer.data["token"] == fake.record("WHOOK1").sn.split("/")[0]


def test_a_failed_webhook_is_rc_17(provider, fake, products):
    body = _webhook(fake, provider, products)
    headers = {"x-hub-signature": hub_signature(DEV_SECRET, body)}

    assert (
        _adapter(provider).callback_parse(headers=headers, body=body).answer.rc == "17"
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature": "sha1=0000"},
        {"X-Hub-Signature": hub_signature("not-the-secret", b"{}")},
    ],
    ids=["missing", "garbage", "other-secret"],
)
def test_a_webhook_not_signed_with_the_secret_is_rejected(
    provider, fake, products, headers
):
    body = _webhook(fake, provider, products)

    with pytest.raises(CallbackRejected):
        _adapter(provider).callback_parse(headers=headers, body=body)
    # Signed with the other environment's secret: that environment's adapter reads it.
    with pytest.raises(CallbackRejected):
        _adapter(provider, PROD).callback_parse(
            headers={"X-Hub-Signature": hub_signature(DEV_SECRET, body)}, body=body
        )


def test_without_a_webhook_secret_no_webhook_is_accepted(
    provider, fake, products, credentials
):
    body = _webhook(fake, provider, products)
    credentials.delenv(f"{PREFIX}_DEVELOPMENT_WEBHOOK_SECRET")

    with pytest.raises(CallbackRejected):
        _adapter(provider).callback_parse(
            headers={"X-Hub-Signature": hub_signature("", body)}, body=body
        )


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"data": {"status": "Sukses"}}',
        b'{"data": {"ref_id": "W", "status": "?"}}',
    ],
)
def test_a_signed_but_unreadable_webhook_is_rejected(provider, body):
    headers = {"X-Hub-Signature": hub_signature(DEV_SECRET, body)}

    with pytest.raises(CallbackRejected):
        _adapter(provider).callback_parse(headers=headers, body=body)


# --- routing with a Digiflazz route -----------------------------------------------------------


@pytest.fixture
def routed(provider, prepaid, postpaid):
    """The Open API's PLN token and PLN postpaid are bought at Digiflazz."""
    ProviderProduct.objects.create(
        product=prepaid,
        provider=provider,
        priority=1,
        provider_code=TOKEN,
        buy_price=20_300,
    )
    ProviderProduct.objects.create(
        product=postpaid,
        provider=provider,
        priority=1,
        provider_code=BILL,
        buy_price=950,
    )
    routes_forget()
    return provider


@pytest.fixture
def backup(routed, prepaid):
    """The in-process simulator as the token's second provider."""
    simulator = Provider.objects.create(
        code="sim-b", name="Simulator cadangan", kind=Provider.Kind.SIMULATOR
    )
    ProviderProduct.objects.create(
        product=prepaid, provider=simulator, priority=2, buy_price=20_400
    )
    routes_forget()
    return simulator


@pytest.fixture
def held(monkeypatch):
    """Pending payments are resolved when the test says so."""
    scheduled = []
    monkeypatch.setattr(
        "openapi.services.payments.schedule_resolution", scheduled.append
    )
    return scheduled


def test_a_product_closed_at_digiflazz_goes_to_the_next_provider(
    dev_api, fake, backup, prepaid, funded, held
):
    fake.skus[TOKEN].gangguan = True

    bought = buy(dev_api, prepaid, "081200000001", "RT-NEXT")

    txn = Transaction.objects.get()
    assert bought["rc"] == "00"
    assert txn.provider_id == backup.pk and txn.buy_price == 20_400
    assert balance(funded, DEV) == 10_000_000 - 20_500 == ledger_sum(funded, DEV)


def test_an_unreadable_answer_is_never_sent_to_a_second_provider(
    dev_api, fake, routed, backup, prepaid, funded, held
):
    fake.garble = True

    bought = buy(dev_api, prepaid, "081200000001", "RT-SUSPECT")

    txn = Transaction.objects.get()
    assert bought["rc"] == "71"
    assert txn.status == Transaction.Status.PENDING and txn.provider_id == routed.pk
    assert len(fake.records) == 1
    fake.garble = False
    assert pending_resolve_now(transaction_id=txn.pk).status == "sukses"
    assert Transaction.objects.get().response["data"]["token"]


def test_a_bill_through_the_open_api(dev_api, fake, routed, postpaid, funded, held):
    fake.plans["530000000071"] = Plan(first=PENDING, pending_resends=0)

    paid = pay(dev_api, postpaid, "530000000071", "RT-BILL")
    txn = Transaction.objects.get()
    asked = fake.record(txn.upstream_ref, "inq-pasca")

    assert paid["rc"] == "71"
    assert txn.tagihan == asked.bill["selling_price"] - 2_750
    assert txn.buy_price == txn.tagihan + 950
    assert pending_resolve_now(transaction_id=txn.pk).status == "sukses"
    assert Transaction.objects.get().response["data"]["noReferensi"]


# --- whole payments, the webhook over HTTP -----------------------------------------------------


@pytest.fixture(scope="module")
def live():
    server = LiveProject()
    yield server
    server.stop()


@pytest.fixture
def partner_server(partner):
    server = PartnerReceiver()
    CallbackEndpointFactory(partner=partner, environment=DEV, url=server.url)
    yield server
    server.stop()


@pytest.fixture
def hooked(transactional_db, live, fake, routed):
    """The fake's webhook goes to our callback URL for this provider; the partner's
    callback is sent within the request that makes a payment final (eager Celery, as the
    test settings do, kept explicit)."""
    fake.callback_url = f"{live.url}/upstream/callback/{routed.code}"
    saved = celery_app.conf["task_always_eager"]
    celery_app.conf.update(task_always_eager=True)
    yield fake
    celery_app.conf.update(task_always_eager=saved)


def _pending_buy(api, fake, product, customer, reference, final):
    fake.plans[customer] = Plan(first=PENDING, final=final)
    bought = buy(api, product, customer, reference)
    assert bought["rc"] == "71", bought
    txn = Transaction.objects.get(reference_id=reference)
    assert fake.record(txn.upstream_ref).status == PENDING
    return txn


def _ledger_kinds(txn) -> list[str]:
    return sorted(
        LedgerEntry.objects.filter(transaction=txn).values_list("kind", flat=True)
    )


@pytest.mark.parametrize(
    ("final", "status", "kinds", "left"),
    [
        ("Sukses", "sukses", ["debit"], 10_000_000 - 20_500),
        (GAGAL, "gagal", ["debit", "reversal"], 10_000_000),
    ],
)
def test_the_webhook_makes_a_pending_payment_final_once(
    dev_api, hooked, prepaid, funded, partner_server, held, final, status, kinds, left
):
    txn = _pending_buy(dev_api, hooked, prepaid, "081200000071", "WH-ONCE", final)

    assert hooked.finish(txn.upstream_ref) == 200
    assert Transaction.objects.get(pk=txn.pk).status == status
    # Digiflazz may deliver it again, and our own poll may come late: nothing moves.
    assert hooked.send_webhook(txn.upstream_ref) == 200
    assert pending_resolve_now(transaction_id=txn.pk).status == status

    txn.refresh_from_db()
    assert txn.status == status
    assert txn.provider_ref == hooked.record(txn.upstream_ref).trx_id
    assert _ledger_kinds(txn) == kinds
    assert balance(funded, DEV) == left == ledger_sum(funded, DEV)
    assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1
    [callback] = partner_server.received
    assert callback["referenceID"] == "WH-ONCE"
    assert callback["rc"] == ("00" if status == "sukses" else "17")
    if status == "sukses":
        assert callback["data"]["token"] == txn.response["data"]["token"]


@pytest.mark.parametrize(
    "how",
    ["wrong-secret", "empty-secret", "no-signature", "other-body"],
)
def test_a_webhook_with_a_bad_signature_is_403_and_changes_nothing(
    dev_api, hooked, prepaid, funded, partner_server, held, how
):
    txn = _pending_buy(dev_api, hooked, prepaid, "081200000017", "WH-BAD", GAGAL)
    with hooked._lock:
        hooked._settle(hooked.record(txn.upstream_ref))
    signed = {
        "wrong-secret": {"secret": "whsec-guess"},
        "empty-secret": {"secret": ""},
        "no-signature": {"signature": ""},
        "other-body": {
            "signature": hub_signature(DEV_SECRET, b'{"data": {}}'),
        },
    }[how]

    assert hooked.send_webhook(txn.upstream_ref, **signed) == 403

    txn.refresh_from_db()
    assert txn.status == Transaction.Status.PENDING
    assert _ledger_kinds(txn) == ["debit"]
    assert balance(funded, DEV) == 10_000_000 - 20_500
    assert not CallbackDelivery.objects.exists() and partner_server.received == []
    # The genuine one is taken.
    assert hooked.send_webhook(txn.upstream_ref) == 200
    assert Transaction.objects.get(pk=txn.pk).status == Transaction.Status.GAGAL
    assert balance(funded, DEV) == 10_000_000


def test_a_webhook_of_an_unknown_provider_is_403(hooked, live):
    hooked.callback_url = f"{live.url}/upstream/callback/nobody"
    body = json.dumps(
        {"data": {"ref_id": "X", "status": "Sukses", "rc": "00"}}
    ).encode()

    assert (
        hooked.send_webhook("X", body=body, signature=hub_signature(DEV_SECRET, body))
        == 403
    )


def test_the_webhook_and_our_poll_racing_resolve_once(
    dev_api, hooked, prepaid, funded, partner_server, held
):
    txns = []
    for round_ in range(3):
        for suffix, final in (("71", "Sukses"), ("17", GAGAL)):
            # Another number each time (the same amount to a number twice is rc 75).
            customer = f"08120{round_}0000{suffix}"
            txns.append(
                _pending_buy(
                    dev_api, hooked, prepaid, customer, f"RACE{round_}{suffix}", final
                )
            )
    for txn in txns:
        hooked.finish(txn.upstream_ref, send=False)

    def poll(txn, barrier):
        barrier.wait()
        try:
            pending_resolve_now(transaction_id=txn.pk)
        finally:
            connections.close_all()

    def webhook(txn, barrier, statuses):
        barrier.wait()
        statuses.append(hooked.send_webhook(txn.upstream_ref))

    statuses: list[int] = []
    for txn in txns:
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=poll, args=(txn, barrier)),
            threading.Thread(target=webhook, args=(txn, barrier, statuses)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert statuses == [200] * len(txns)
    for txn in txns:
        txn.refresh_from_db()
        failed = txn.customer_number.endswith("17")
        assert txn.status == ("gagal" if failed else "sukses")
        assert _ledger_kinds(txn) == (["debit", "reversal"] if failed else ["debit"])
        assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1
    assert len(partner_server.received) == len(txns)
    assert balance(funded, DEV) == 10_000_000 - 3 * 20_500 == ledger_sum(funded, DEV)


# --- credentials stay out of every record -------------------------------------------------------


def test_credentials_never_reach_the_logs_the_api_log_or_the_transactions(
    dev_api, hooked, prepaid, postpaid, funded, partner_server, caplog
):
    """A top-up answered pending (its scheduled check runs at once, eagerly, and finds it
    still pending) then made final by the webhook, a forged webhook, a bill asked and paid,
    another asked: no username, key, webhook secret or sign anywhere."""
    caplog.set_level(logging.DEBUG)
    txn = _pending_buy(dev_api, hooked, prepaid, "081200000071", "SEC-1", "Sukses")
    hooked.finish(txn.upstream_ref)
    hooked.send_webhook(txn.upstream_ref, secret="forged")
    hooked.plans["530000000001"] = Plan()
    assert pay(dev_api, postpaid, "530000000001", "SEC-2")["rc"] == "00"
    inquire(dev_api, postpaid, "530000000065", "SEC-3")

    signs = {body["sign"] for _path, body in hooked.requests}
    assert len(signs) >= 3
    needles = [*SECRETS, *signs]
    api_logs = json.dumps(
        list(ApiLog.objects.values("request", "response", "path", "username"))
    )
    stored = json.dumps(
        list(
            Transaction.objects.values(
                "request", "response", "description", "provider_ref"
            )
        )
    )
    assert ApiLog.objects.count() >= 4 and Transaction.objects.count() == 2
    for needle in needles:
        assert needle not in caplog.text
        assert needle not in api_logs
        assert needle not in stored
