"""The rc answers of Inquiry, Payment and SinglePayment (Development, simulator backend)."""

from unittest import mock

import pytest
from django.utils import timezone

from billing.models import LedgerEntry, Transaction
from openapi.tests.helpers import balance, buy, inquire, ledger_sum, pay
from portal.lib.environments import Environment

pytestmark = pytest.mark.django_db
DEV = Environment.DEVELOPMENT


def test_00_inquiry_then_payment_debits_the_total_once(dev_api, postpaid, funded):
    asked = inquire(dev_api, postpaid, "530000000001", "R-OK")
    paid = pay(dev_api, postpaid, "530000000001", "R-OK")

    assert asked["rc"] == "00"
    assert asked["data"]["admin"] == "000000002500"
    assert paid["rc"] == "00"
    assert paid["data"]["status"] == "SUKSES"
    assert paid["data"]["total"] == asked["data"]["total"]
    assert paid["referenceID"] == "R-OK" and paid["productID"] == "100301"
    total = int(asked["data"]["total"])
    assert balance(funded, DEV) == 10_000_000 - total == ledger_sum(funded, DEV)
    txn = Transaction.objects.get(reference_id="R-OK")
    assert txn.status == Transaction.Status.SUKSES and txn.total == total


def test_00_single_payment_at_the_listed_price(dev_api, prepaid, funded):
    bought = buy(dev_api, prepaid, "530000000001", "S-OK")

    assert bought["rc"] == "00", bought
    assert bought["data"]["token"].count("-") == 4
    assert balance(funded, DEV) == 10_000_000 - 20_500


def test_12_insufficient_deposit_records_nothing(dev_api, prepaid, partner):
    bought = buy(dev_api, prepaid, "530000000001", "S-POOR")

    assert bought["rc"] == "12"
    assert "tidak mencukupi" in bought["description"]
    assert not Transaction.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_42_single_payment_at_another_price(dev_api, prepaid, funded):
    bought = buy(dev_api, prepaid, "530000000001", "S-42", total=20_000)

    assert bought["rc"] == "42"
    assert "000000020500" in bought["description"]
    assert not Transaction.objects.exists()


def test_70_single_payment_whose_total_is_not_tagihan_plus_admin(
    dev_api, prepaid, funded
):
    answer = dev_api.call(
        "/Services/SinglePayment",
        {
            "productID": prepaid.code,
            "customerID": "530000000001",
            "referenceID": "S-70",
            "tagihan": "000000020500",
            "admin": "000000000100",
            "total": "000000020500",
        },
    )
    assert answer["rc"] == "70"


def test_70_payment_amounts_must_match_the_inquiry(dev_api, postpaid, funded):
    asked = inquire(dev_api, postpaid, "530000000001", "R-70")
    tagihan = int(asked["data"]["tagihan"])

    paid = pay(
        dev_api, postpaid, "530000000001", "R-70", (tagihan - 1, 2500, tagihan + 2499)
    )

    assert paid["rc"] == "70"
    assert asked["data"]["total"] in paid["description"]
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    "inquired_customer", [None, "530000000002"], ids=["no-inquiry", "other-customer"]
)
def test_61_payment_without_the_inquiry(dev_api, postpaid, funded, inquired_customer):
    if inquired_customer:
        inquire(dev_api, postpaid, inquired_customer, "R-61")

    paid = pay(dev_api, postpaid, "530000000001", "R-61", (10_000, 2_500, 12_500))

    assert paid["rc"] == "61"
    assert not Transaction.objects.exists()


def test_75_same_product_and_amount_to_the_same_number_within_10_minutes(
    dev_api, prepaid, funded
):
    assert buy(dev_api, prepaid, "081200000001", "S-75-A")["rc"] == "00"

    second = buy(dev_api, prepaid, "081200000001", "S-75-B")

    assert second["rc"] == "75"
    assert Transaction.objects.count() == 1


def test_75_window_is_10_minutes(dev_api, prepaid, funded):
    assert buy(dev_api, prepaid, "081200000001", "S-75-C")["rc"] == "00"
    Transaction.objects.update(
        created_at=timezone.now() - timezone.timedelta(minutes=11)
    )

    assert buy(dev_api, prepaid, "081200000001", "S-75-D")["rc"] == "00"


@pytest.mark.parametrize("service", ["Payment", "SinglePayment", "Inquiry"])
def test_86_a_used_reference_is_never_charged_twice(
    dev_api, postpaid, prepaid, funded, service
):
    assert buy(dev_api, prepaid, "081200000002", "USED")["rc"] == "00"
    after_first = balance(funded, DEV)

    if service == "Payment":
        answer = pay(dev_api, postpaid, "530000000001", "USED", (1, 2500, 2501))
    elif service == "SinglePayment":
        answer = buy(dev_api, prepaid, "081200000003", "USED")
    else:
        answer = inquire(dev_api, postpaid, "530000000001", "USED")

    assert answer["rc"] == "86"
    assert balance(funded, DEV) == after_first
    assert Transaction.objects.count() == 1


def test_86_repeating_a_successful_payment(dev_api, postpaid, funded):
    first = pay(dev_api, postpaid, "530000000001", "R-TWICE")
    amounts = tuple(int(first["data"][k]) for k in ("tagihan", "admin", "total"))

    again = pay(dev_api, postpaid, "530000000001", "R-TWICE", amounts)

    assert again["rc"] == "86"
    assert LedgerEntry.objects.filter(kind="debit").count() == 1


@pytest.mark.parametrize("rc", ["65", "64"])
def test_inquiry_of_a_wrong_or_paid_number(dev_api, postpaid, funded, rc):
    asked = inquire(dev_api, postpaid, f"5300000000{rc}", "R-BAD")

    assert asked["rc"] == rc
    paid = pay(dev_api, postpaid, f"5300000000{rc}", "R-BAD", (10_000, 2_500, 12_500))
    assert paid["rc"] == "61"


@pytest.mark.parametrize("rc", ["65", "64"])
def test_single_payment_refused_by_the_biller_gives_the_money_back(
    dev_api, prepaid, funded, rc
):
    bought = buy(dev_api, prepaid, f"0812000000{rc}", f"S-{rc}")

    assert bought["rc"] == rc
    assert bought["data"]["status"] == "GAGAL"
    assert Transaction.objects.get().status == Transaction.Status.GAGAL
    assert balance(funded, DEV) == 10_000_000 == ledger_sum(funded, DEV)


@pytest.mark.parametrize("suffix,first_rc", [("71", "71"), ("39", "39")])
def test_pending_first_answer(dev_api, postpaid, funded, suffix, first_rc):
    # Keep the transaction pending: its resolution is only recorded, not run.
    with mock.patch("openapi.services.payments.schedule_resolution") as scheduled:
        paid = pay(dev_api, postpaid, f"5300000000{suffix}", f"R-{suffix}")

    assert paid["rc"] == first_rc
    assert paid["data"]["status"] == "PENDING"
    assert "Check-Status" in paid["description"]
    txn = Transaction.objects.get()
    assert txn.status == Transaction.Status.PENDING
    scheduled.assert_called_once_with(txn.pk)
    assert balance(funded, DEV) == 10_000_000 - txn.total
