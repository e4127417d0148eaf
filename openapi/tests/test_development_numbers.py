"""Every documented development number gives its documented outcome, for a real product of
its category from the catalogue: Inquiry + Payment for postpaid products, SinglePayment for
prepaid ones, and the final answer of Check-Status (money back when it fails)."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing.models import Transaction
from openapi.development_numbers import development_numbers
from openapi.services import pending_resolve_now
from openapi.tests.helpers import balance, buy, check_status, inquire, ledger_sum, pay
from portal.lib.environments import Environment
from products.csvio import read_table
from products.models import PartnerProduct, Product
from products.services import CATALOGUE_FILE, CATEGORIES_FILE

pytestmark = pytest.mark.django_db
DEV = Environment.DEVELOPMENT
START = 10_000_000


def _kinds_by_category() -> dict[str, set[str]]:
    _h, categories = read_table(CATEGORIES_FILE.read_text(encoding="utf-8"))
    names = {row.values["slug"]: row.values["nama"] for row in categories}
    _h, products = read_table(CATALOGUE_FILE.read_text(encoding="utf-8"))
    kinds: dict[str, set[str]] = {}
    for row in products:
        if row.values["status"] == "AKTIF":
            kinds.setdefault(names[row.values["kategori"]], set()).add(
                row.values["jenis"]
            )
    return kinds


KINDS = _kinds_by_category()
CASES = [
    pytest.param(row, kind, id=f"{row['category']}-{kind}-{row['customer_id']}")
    for row in development_numbers()
    for kind in sorted(KINDS.get(row["category"], ()))
]


def test_every_category_of_the_table_has_catalogue_products():
    assert {row["category"] for row in development_numbers()} <= set(KINDS)
    assert len(CASES) > len(development_numbers())


@pytest.fixture
def catalogue_product(partner):
    call_command("load_catalogue", verbosity=0)

    def pick(category: str, kind: str) -> Product:
        product = (
            Product.objects.filter(
                category__name=category, kind=kind, status=Product.Status.ACTIVE
            )
            .order_by("code")
            .first()
        )
        PartnerProduct.objects.create(partner=partner, product=product)
        return product

    return pick


@pytest.mark.parametrize("row,kind", CASES)
def test_development_number(dev_api, funded, catalogue_product, row, kind):
    product = catalogue_product(row["category"], kind)
    customer = row["customer_id"]
    with mock.patch("openapi.services.payments.schedule_resolution"):
        if kind == Product.Kind.POSTPAID:
            asked = inquire(dev_api, product, customer, "DEV-1")
            assert asked["rc"] == row["inquiry_rc"], asked
            if asked["rc"] != "00":
                assert not Transaction.objects.exists()
                return
            assert asked["data"]["periode"] == str(row["months"])
            assert len(asked["data"]["rincianTagihan"]) == row["months"]
            first = pay(dev_api, product, customer, "DEV-1")
        else:
            first = buy(dev_api, product, customer, "DEV-1")
    assert first["rc"] == row["payment_rc"], first

    txn = Transaction.objects.get()
    pending_resolve_now(transaction_id=txn.pk)
    final = check_status(dev_api, product, customer, "DEV-1", timezone.localdate())

    assert final["rc"] == row["final_rc"], final
    expected = START if row["final_rc"] == "17" else START - txn.total
    assert balance(dev_api.credential.partner, DEV) == expected
    assert ledger_sum(dev_api.credential.partner, DEV) == expected
