"""Concurrent payments through the whole gateway, each thread with its own HTTP client and
database connection: one debit per referenceID, and never below zero."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from billing.models import LedgerEntry, Transaction
from billing.tests.factories import deposit_fund
from openapi.services import pending_resolve_now
from openapi.tests.digestclient import DigestApi
from openapi.tests.helpers import balance, buy, inquire, ledger_sum, pay
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db(transaction=True)
DEV = Environment.DEVELOPMENT


def _in_threads(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; their answers."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            start.wait()
            results[i] = work(i)
        except Exception as exc:  # surfaced by the assertions of the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _api(credential, session_id):
    api = DigestApi(Client(), credential)
    api.session_id = session_id
    return api


@pytest.mark.parametrize("service", ["Payment", "SinglePayment"])
def test_20_simultaneous_payments_with_one_reference_debit_once(
    dev_api, postpaid, prepaid, funded, service
):
    session_id = dev_api.sign_on()
    if service == "Payment":
        asked = inquire(dev_api, postpaid, "530000000001", "SAME-REF")
        amounts = tuple(int(asked["data"][k]) for k in ("tagihan", "admin", "total"))

        def work(_i):
            api = _api(dev_api.credential, session_id)
            return pay(api, postpaid, "530000000001", "SAME-REF", amounts)["rc"]

    else:

        def work(_i):
            api = _api(dev_api.credential, session_id)
            return buy(api, prepaid, "081200000001", "SAME-REF")["rc"]

    answers = Counter(_in_threads(20, work))

    assert answers == {"00": 1, "86": 19}
    txn = Transaction.objects.get()
    assert LedgerEntry.objects.filter(kind="debit").count() == 1
    assert balance(funded, DEV) == 10_000_000 - txn.total == ledger_sum(funded, DEV)


def test_100_payments_against_a_deposit_for_50(dev_api, prepaid, partner):
    deposit_fund(partner, 50 * prepaid.price, DEV)
    session_id = dev_api.sign_on()
    threads, per_thread = 25, 4

    def work(i):
        api = _api(dev_api.credential, session_id)
        return [
            buy(api, prepaid, f"0812{i:04d}{n:02d}01", f"MANY-{i}-{n}")["rc"]
            for n in range(per_thread)
        ]

    results = _in_threads(threads, work)
    answers = Counter(rc for batch in results for rc in batch)

    assert answers == {"00": 50, "12": 50}
    assert balance(partner, DEV) == 0 == ledger_sum(partner, DEV)
    assert Transaction.objects.filter(status="sukses").count() == 50
    assert not Transaction.objects.exclude(status="sukses").exists()


def test_concurrent_resolutions_of_a_failed_pending_give_the_money_back_once(
    dev_api, postpaid, funded, monkeypatch
):
    monkeypatch.setattr(
        "openapi.services.payments.schedule_resolution", lambda pk: None
    )
    assert pay(dev_api, postpaid, "530000000017", "RACE")["rc"] == "71"
    txn = Transaction.objects.get()

    _in_threads(8, lambda _i: pending_resolve_now(transaction_id=txn.pk).status)

    assert LedgerEntry.objects.filter(transaction=txn, kind="reversal").count() == 1
    assert balance(funded, DEV) == 10_000_000 == ledger_sum(funded, DEV)
