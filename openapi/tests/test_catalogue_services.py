"""Price lists, product status, the catalogue and the deposit balance."""

import re

import pytest
from django.core.management import call_command

from billing.tests.factories import deposit_fund
from products.models import Category, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def test_pulsa_prices_of_one_operator(dev_api, catalogue):
    answer = dev_api.call("/Services/getPulsa-Prabayar", {"prefixID": "21"})

    assert answer["rc"] == "00"
    codes = [r["code"] for r in answer["record"]]
    assert "501021" in codes
    assert all(code.endswith("21") for code in codes)
    assert {r["category"] for r in answer["record"]} <= {"Pulsa Prabayar", "Paket Data"}
    telkomsel_10 = next(r for r in answer["record"] if r["code"] == "501021")
    assert len(telkomsel_10["price"]) == 12 and telkomsel_10["status"] == "AKTIF"


def test_pulsa_prices_of_an_unknown_prefix(dev_api, catalogue):
    answer = dev_api.call("/Services/getPulsa-Prabayar", {"prefixID": "99"})

    assert answer["rc"] == "02"
    assert "prefixID" in answer["description"]


@pytest.mark.parametrize(
    "body,rc,count",
    [
        ({"productID": "100312"}, "00", 1),
        ({"category": "listrik"}, "00", None),
        ({"productID": "ABC999"}, "15", 0),
        ({"category": "Tidak Ada"}, "15", 0),
        ({}, "02", 0),
    ],
    ids=["product", "category", "unknown-product", "unknown-category", "neither"],
)
def test_price_by_product(dev_api, catalogue, body, rc, count):
    answer = dev_api.call("/Services/getHargaByProductID", body)

    assert answer["rc"] == rc
    if rc == "00":
        records = answer["record"]
        assert len(records) == (count or len(records)) and len(records) >= 1
        assert {r["category"] for r in records} == {"Listrik"}


def test_active_product_status(dev_api, catalogue):
    Product.objects.filter(code="100312").update(status=Product.Status.MAINTENANCE)

    one = dev_api.call("/Services/get-Active-Product", {"productID": "100312"})
    every = dev_api.call("/Services/get-Active-Product", {})

    assert one["record"] == [
        {"code": "100312", "name": one["record"][0]["name"], "status": "MAINTENANCE"}
    ]
    assert {r["status"] for r in every["record"]} == {
        "AKTIF",
        "GANGGUAN",
        "MAINTENANCE",
    }


def test_product_list(dev_api, catalogue):
    every = dev_api.call("/Services/get-Product-List", {})
    pdam = dev_api.call("/Services/get-Product-List", {"category": "PDAM"})

    assert len(every["record"]) == Product.objects.count()
    assert {r["type"] for r in every["record"]} == {"prabayar", "pascabayar"}
    assert pdam["record"] and {r["category"] for r in pdam["record"]} == {"PDAM"}


def test_deposit_of_the_callers_environment(dev_api, prod_api, funded):
    deposit_fund(funded, 5_000, "production")

    dev = dev_api.call("/Services/get-Deposit", {})
    prod = prod_api.call("/Services/get-Deposit", {})

    assert dev["data"] == {"deposit": "000010000000", "environment": "development"}
    assert prod["data"] == {"deposit": "000010005000", "environment": "production"}


RECORD_FIELDS = {"code", "name", "category", "type", "price", "admin", "status"}


def test_every_category_of_the_catalogue_has_a_group_code(catalogue):
    codes = list(Category.objects.values_list("group_code", flat=True))
    assert codes and all(re.fullmatch(r"[A-Z]{3}\.[A-Z]{4}", code) for code in codes)
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("code", ["LST.AAAA", "lst.aaaa", " PLS.AAAA "])
def test_price_list_of_a_group_is_every_product_of_it(dev_api, catalogue, code):
    group = Category.objects.get(group_code=code.strip().upper())
    expected = set(
        Product.objects.filter(category=group).values_list("code", flat=True)
    )

    answer = dev_api.call("/Services/getHargaByProductID", {"prefixID": code})

    assert answer["rc"] == "00"
    records = answer["record"]
    assert {r["code"] for r in records} == expected and len(records) == len(expected)
    assert all(set(r) == RECORD_FIELDS for r in records)
    assert {r["category"] for r in records} == {group.name}
    assert all(len(r["price"]) == 12 and len(r["admin"]) == 12 for r in records)


@pytest.mark.parametrize("code", ["AAB.AAAA", "ZZZ.ZZZZ", "21"])
def test_an_unknown_group_is_an_empty_list_with_rc_00(dev_api, catalogue, code):
    answer = dev_api.call("/Services/getHargaByProductID", {"prefixID": code})

    assert answer["rc"] == "00"
    assert answer["record"] == []
    assert code in answer["description"] and "tidak dikenal" in answer["description"]


def test_a_prefix_that_is_not_text_is_a_format_error(dev_api, catalogue):
    answer = dev_api.call("/Services/getHargaByProductID", {"prefixID": ["LST"]})

    assert answer["rc"] == "02"
    assert "prefixID" in answer["description"]
