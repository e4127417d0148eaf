"""rc 02: a malformed message is answered with a description naming what is wrong."""

import json

import pytest

pytestmark = pytest.mark.django_db

PAYMENT = {
    "productID": "100312",
    "customerID": "530000000001",
    "referenceID": "F-1",
    "tagihan": "000000020500",
    "admin": "000000000000",
    "total": "000000020500",
}


def _without(name):
    return {k: v for k, v in PAYMENT.items() if k != name}


@pytest.mark.parametrize(
    "body,named",
    [
        (_without("customerID"), "customerID"),
        (_without("referenceID"), "referenceID"),
        (_without("productID"), "productID"),
        (_without("total"), "total"),
        ({**PAYMENT, "customerID": "5" * 33}, "customerID"),
        ({**PAYMENT, "referenceID": "R" * 21}, "referenceID"),
        ({**PAYMENT, "productID": "1" * 13}, "productID"),
        ({**PAYMENT, "total": "0000000205001"}, "total"),
        ({**PAYMENT, "tagihan": "20.500"}, "tagihan"),
        ({**PAYMENT, "admin": "-1"}, "admin"),
        ({**PAYMENT, "total": 20500}, "total"),
        ({**PAYMENT, "customerID": 530000000001}, "customerID"),
        ({**PAYMENT, "customerID": "53000abc0001"}, "customerID"),
        ({**PAYMENT, "referenceID": "R 1"}, "referenceID"),
    ],
    ids=[
        "missing-customer",
        "missing-reference",
        "missing-product",
        "missing-total",
        "long-customer",
        "long-reference",
        "long-product",
        "13-digit-amount",
        "dotted-amount",
        "negative-amount",
        "number-amount",
        "number-customer",
        "letters-in-customer",
        "space-in-reference",
    ],
)
def test_02_names_the_field(dev_api, prepaid, funded, body, named):
    answer = dev_api.call("/Services/SinglePayment", body)

    assert answer["rc"] == "02"
    assert named in answer["description"]


@pytest.mark.parametrize(
    "raw,expected",
    [
        (b'{"productID": "100312",', "bukan JSON"),
        (b"\xff\xfe{}", "bukan JSON"),
        (b"[1, 2, 3]", "objek JSON"),
        (b'"teks"', "objek JSON"),
        (b"42", "objek JSON"),
        (b"", "objek JSON"),
    ],
    ids=["truncated", "not-utf8", "list", "string", "number", "empty"],
)
def test_02_body_that_is_not_a_json_object(dev_api, raw, expected):
    response = dev_api.post_raw("/Services/Inquiry", raw)

    assert response.status_code == 200
    assert response.json()["rc"] == "02"
    assert expected in response.json()["description"]


def test_02_check_status_date_format(dev_api, prepaid, funded):
    answer = dev_api.call(
        "/Services/Check-Status",
        {**PAYMENT, "tglTransaksi": "29/11/2026"},
        session=False,
    )
    assert answer["rc"] == "02"
    assert "tglTransaksi" in answer["description"]


def test_02_merchant_id_of_another_credential(dev_api, prepaid, funded):
    answer = dev_api.call(
        "/Services/SinglePayment", {**PAYMENT, "merchantID": "MD9999999999"}
    )
    assert answer["rc"] == "02"
    assert "merchantID" in answer["description"]


def test_02_answer_echoes_identifiers_of_a_readable_body(dev_api, prepaid, funded):
    response = dev_api.post(
        "/Services/SinglePayment",
        {**_without("total"), "sessionID": dev_api.sign_on(), "merchantID": "x"},
    )
    answer = json.loads(response.content)
    assert set(answer) >= {"rc", "description", "referenceID", "customerID", "data"}
    assert answer["referenceID"] == "F-1"
