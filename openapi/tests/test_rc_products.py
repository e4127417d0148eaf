"""rc 15, 41 and 10: which products a partner may sell, where and when."""

import pytest
from django.utils import translation

from openapi.tests.helpers import buy, inquire
from products.models import PartnerProduct, Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_15_unknown_product(dev_api, funded):
    answer = dev_api.call(
        "/Services/Inquiry",
        {"productID": "999999", "customerID": "530000000001", "referenceID": "X"},
    )
    assert answer["rc"] == "15"
    assert "999999" in answer["description"]


def test_41_development_product_not_chosen(dev_api, listrik, funded):
    product = ProductFactory(code="100302", category=listrik, postpaid=True)

    answer = inquire(dev_api, product, "530000000001", "X")

    assert answer["rc"] == "41"
    assert "belum Anda pilih" in answer["description"]


@pytest.mark.parametrize(
    "state",
    [
        PartnerProduct.State.DEVELOPMENT,
        PartnerProduct.State.UAT_APPROVED,
        PartnerProduct.State.LIVE_PENDING,
    ],
)
def test_41_production_product_not_live(prod_api, prepaid, funded, state):
    PartnerProduct.objects.filter(product=prepaid).update(state=state)

    answer = buy(prod_api, prepaid, "081200000001", "X")

    assert answer["rc"] == "41"
    assert "Production" in answer["description"]


def test_production_sells_a_live_product(prod_api, prepaid, funded):
    PartnerProduct.objects.filter(product=prepaid).update(
        state=PartnerProduct.State.ACTIVE
    )

    assert buy(prod_api, prepaid, "081200000001", "X")["rc"] == "00"


@pytest.mark.parametrize(
    "status", [Product.Status.MAINTENANCE, Product.Status.DISRUPTED]
)
def test_10_product_under_maintenance_or_disrupted(dev_api, prepaid, funded, status):
    Product.objects.filter(pk=prepaid.pk).update(status=status)

    answer = buy(dev_api, prepaid, "081200000001", "X")

    assert answer["rc"] == "10"
    assert status.label.lower() in answer["description"]


def test_10_inquiry_of_a_prepaid_product(dev_api, prepaid, funded):
    answer = inquire(dev_api, prepaid, "081200000001", "X")

    assert answer["rc"] == "10"
    assert "SinglePayment" in answer["description"]


def test_10_single_payment_of_a_postpaid_product(dev_api, postpaid, funded):
    postpaid.price = 10_000
    answer = buy(dev_api, postpaid, "530000000001", "X")

    assert answer["rc"] == "10"
    assert "Inquiry" in answer["description"]


def test_answers_stay_in_indonesian_whatever_the_language_asked(
    dev_api, prepaid, funded
):
    """Neither the caller's Accept-Language nor an English page served before by the same
    thread changes the language of the contract."""
    Product.objects.filter(pk=prepaid.pk).update(status=Product.Status.DISRUPTED)
    dev_api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        answer = buy(dev_api, prepaid, "081200000001", "X")

    assert answer["rc"] == "10"
    assert "sedang gangguan" in answer["description"]
