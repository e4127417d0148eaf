"""The spec agrees with the code it describes: the field rules are the ones the API applies,
the examples use documented development numbers and real catalogue products."""

import re

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from docs_content.spec import EXAMPLES, OPERATIONS, OPERATIONS_BY_KEY
from docs_content.spec import fields as spec_fields
from docs_content.tests.factories import example_products
from openapi import fields as api_fields
from openapi.development_numbers import development_numbers
from products.models import Product

CHECKED = [
    spec_fields.SESSION_ID,
    spec_fields.MERCHANT_ID,
    spec_fields.PRODUCT_ID,
    spec_fields.CUSTOMER_ID,
    spec_fields.REFERENCE_ID,
]


def accepted(name: str, value: str) -> bool:
    try:
        api_fields.text({name: value}, name)
    except api_fields.BadRequest:
        return False
    return True


@pytest.mark.parametrize("field", CHECKED, ids=lambda f: f.name)
@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_documented_pattern_is_the_rule_the_api_applies(field, data):
    value = data.draw(
        st.one_of(st.from_regex(field.pattern, fullmatch=True), st.text(max_size=40))
    )
    assert accepted(field.name, value) == bool(re.fullmatch(field.pattern, value)), (
        value
    )


@settings(max_examples=100, deadline=None, database=None)
@given(value=st.from_regex(r"[0-9]{1,12}", fullmatch=True))
def test_documented_amounts_are_accepted(value):
    assert api_fields.amount({"total": value}, "total") == int(value)


def test_documented_prefixes_are_the_ones_the_api_accepts():
    for value in spec_fields.PREFIX_ID.enum:
        assert accepted("prefixID", value)
    assert not accepted("prefixID", "99")


def test_every_example_request_sends_documented_fields():
    for example in EXAMPLES:
        fields = OPERATIONS_BY_KEY[example.operation].request
        names = {f.name for f in fields}
        assert set(example.request) <= names, example.key
        assert {f.name for f in fields if f.required} <= set(example.request), (
            example.key
        )


def test_every_operation_has_an_example():
    assert {e.operation for e in EXAMPLES} == {op.key for op in OPERATIONS}


def test_examples_use_documented_development_numbers():
    numbers = {row["customer_id"] for row in development_numbers()}
    for example in EXAMPLES:
        if "customerID" in example.request:
            assert example.request["customerID"] in numbers, example.key


def test_examples_use_catalogue_products(db):
    call_command("load_catalogue", verbosity=0)
    codes = example_products() | {
        e.request["productID"] for e in EXAMPLES if "productID" in e.request
    }
    assert (
        set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
        == codes
    )


def test_payment_examples_pay_what_their_inquiry_answered():
    inquiries = {
        e.request["referenceID"]: e for e in EXAMPLES if e.operation == "inquiry"
    }
    for example in EXAMPLES:
        if example.operation == "payment":
            data = inquiries[example.request["referenceID"]].response["data"]
            for name in ("tagihan", "admin", "total"):
                assert example.request[name] == data[name]
