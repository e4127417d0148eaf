"""Check-Status: the state of one's own transaction; rc 19 when it is not found as asked."""

import datetime

import pytest
from django.utils import timezone

from connections.tests.factories import ConnectionFactory
from openapi.tests.digestclient import DigestApi
from openapi.tests.factories import CredentialFactory
from openapi.tests.helpers import buy, check_status
from products.tests.factories import PartnerProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought(dev_api, prepaid, funded):
    assert buy(dev_api, prepaid, "081200000001", "CS-19")["rc"] == "00"
    return prepaid


def test_found(dev_api, bought):
    answer = check_status(
        dev_api, bought, "081200000001", "CS-19", timezone.localdate()
    )

    assert answer["rc"] == "00"
    assert answer["data"]["total"] == "000000020500"
    assert answer["referenceID"] == "CS-19"


@pytest.mark.parametrize(
    "customer,reference,days",
    [
        ("081200000001", "CS-OTHER", 0),
        ("081200000001", "CS-19", -1),
        ("081200000009", "CS-19", 0),
    ],
    ids=["unknown-reference", "other-day", "other-customer"],
)
def test_19_not_found(dev_api, bought, customer, reference, days):
    day = timezone.localdate() + datetime.timedelta(days=days)

    answer = check_status(dev_api, bought, customer, reference, day)

    assert answer["rc"] == "19"
    assert reference in answer["description"]


def test_19_for_the_other_environment(dev_api, prod_api, bought):
    answer = check_status(
        prod_api, bought, "081200000001", "CS-19", timezone.localdate()
    )

    assert answer["rc"] == "19"


def test_19_for_another_partners_transaction(client, bought, whitelist):
    other = CredentialFactory()
    ConnectionFactory(partner=other.partner, address="127.0.0.1", approved=True)
    PartnerProductFactory(partner=other.partner, product=bought)
    outsider = DigestApi(client, other)

    answer = check_status(
        outsider, bought, "081200000001", "CS-19", timezone.localdate()
    )

    assert answer["rc"] == "19"
