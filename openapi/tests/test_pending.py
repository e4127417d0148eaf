"""Pending payments: the final answer comes later (Check-Status, callback); a failure gives
the money back exactly once."""

from unittest import mock

import pytest
from django.utils import timezone

from billing.models import LedgerEntry, Transaction
from openapi.services import pending_resolve_now, pending_sweep
from openapi.tests.helpers import balance, buy, check_status, ledger_sum, pay
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db
DEV = Environment.DEVELOPMENT


@pytest.fixture
def held():
    """Resolutions are recorded, not run, so the test decides when they happen."""
    with mock.patch("openapi.services.payments.schedule_resolution") as scheduled:
        yield scheduled


def _status(api, product, customer_id, reference_id):
    return check_status(api, product, customer_id, reference_id, timezone.localdate())


@pytest.mark.parametrize("suffix", ["17", "39"], ids=["pending-then-17", "timeout-39"])
def test_pending_that_fails_returns_the_money_once(
    dev_api, postpaid, funded, held, suffix
):
    customer = f"5300000000{suffix}"
    paid = pay(dev_api, postpaid, customer, "P-FAIL")
    txn = Transaction.objects.get()
    assert paid["rc"] == ("39" if suffix == "39" else "71")
    assert balance(funded, DEV) == 10_000_000 - txn.total
    assert _status(dev_api, postpaid, customer, "P-FAIL")["rc"] == "71"

    pending_resolve_now(transaction_id=txn.pk)
    pending_resolve_now(transaction_id=txn.pk)

    txn.refresh_from_db()
    assert txn.status == Transaction.Status.GAGAL and txn.rc == "17"
    kinds = sorted(
        LedgerEntry.objects.filter(transaction=txn).values_list("kind", flat=True)
    )
    assert kinds == ["debit", "reversal"]
    assert balance(funded, DEV) == 10_000_000 == ledger_sum(funded, DEV)
    final = _status(dev_api, postpaid, customer, "P-FAIL")
    assert final["rc"] == "17"
    assert final["data"]["status"] == "GAGAL"


def test_pending_that_succeeds_keeps_the_money(dev_api, prepaid, funded, held):
    bought = buy(dev_api, prepaid, "081200000071", "P-OK")
    txn = Transaction.objects.get()
    assert bought["rc"] == "71" and bought["data"]["status"] == "PENDING"

    pending_resolve_now(transaction_id=txn.pk)

    txn.refresh_from_db()
    assert txn.status == Transaction.Status.SUKSES
    assert balance(funded, DEV) == 10_000_000 - 20_500 == ledger_sum(funded, DEV)
    final = _status(dev_api, prepaid, "081200000071", "P-OK")
    assert final["rc"] == "00"
    assert final["data"]["status"] == "SUKSES"
    assert final["data"]["token"]


def test_the_scheduled_task_resolves_it(
    dev_api, postpaid, funded, django_capture_on_commit_callbacks
):
    """With eager Celery (``make run``) the check runs as soon as the payment commits."""
    with django_capture_on_commit_callbacks(execute=True):
        paid = pay(dev_api, postpaid, "530000000017", "P-TASK")

    assert paid["rc"] == "71"
    assert Transaction.objects.get().status == Transaction.Status.GAGAL
    assert balance(funded, DEV) == 10_000_000


def test_the_sweep_resolves_forgotten_pending_transactions(
    dev_api, postpaid, funded, held
):
    pay(dev_api, postpaid, "530000000071", "P-LOST")
    Transaction.objects.update(created_at=timezone.now() - timezone.timedelta(hours=1))

    assert pending_sweep() == 1
    assert Transaction.objects.get().status == Transaction.Status.SUKSES


def test_a_final_transaction_is_left_alone(dev_api, prepaid, funded):
    buy(dev_api, prepaid, "081200000001", "P-DONE")
    txn = Transaction.objects.get()

    assert pending_resolve_now(transaction_id=txn.pk).status == "sukses"
    assert pending_resolve_now(transaction_id=0) is None
