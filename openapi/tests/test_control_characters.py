"""A NUL or another control character in any field of a call is a malformed message (rc 02,
naming the field), and whatever a caller sends, its log row is one the database stores:
the call is logged, and the calls of everyone else keep being logged."""

import pytest

from openapi.models import ApiLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field,value",
    [
        ("referenceID", "\u0000"),
        ("productID", "100312\u0000"),
        ("customerID", "0812\t0001"),
        ("merchantID", "M\u001b[31m"),
        ("referenceID", "REF\u007f"),
        ("referenceID", "REF\u0085"),
    ],
    ids=["nul", "nul-in-product", "tab", "escape", "del", "c1-next-line"],
)
def test_a_control_character_answers_02_naming_the_field(dev_api, field, value):
    answer = dev_api.call("/Services/get-Deposit", {"referenceID": "R-1", field: value})

    assert answer["rc"] == "02"
    assert answer["description"].startswith(f"Field {field} berisi karakter kontrol")


def test_a_field_the_service_ignores_is_checked_too(dev_api):
    answer = dev_api.call(
        "/Services/get-Deposit", {"catatan": {"baris": ["ok", "satu\ndua"]}}
    )

    assert answer["rc"] == "02"
    assert "Field catatan.baris[1] " in answer["description"]


def test_a_control_character_in_a_field_name(dev_api):
    answer = dev_api.call("/Services/get-Deposit", {"ref\u0000": "x"})

    assert answer["rc"] == "02"
    assert answer["description"] == (
        "Nama field berisi karakter kontrol yang tidak diizinkan"
    )


def test_a_lone_surrogate_is_refused_like_a_control_character(dev_api):
    response = dev_api.post_raw(
        "/Services/get-Deposit",
        f'{{"merchantID": "{dev_api.credential.merchant_id}", '
        f'"sessionID": "{dev_api.sign_on()}", "referenceID": "\\ud800"}}',
    )

    assert response.json()["rc"] == "02"
    assert "Field referenceID " in response.json()["description"]


def test_the_nul_call_is_logged_with_the_nul_made_visible(dev_api):
    session_id = dev_api.sign_on()

    answer = dev_api.call(
        "/Services/get-Deposit",
        {"referenceID": "\u0000", "productID": "A\u0000B"},
    )

    assert answer["rc"] == "02"
    log = ApiLog.objects.get(path="/Services/get-Deposit")
    assert log.rc == "02"
    assert log.request["referenceID"] == "\ufffd"
    assert log.request["productID"] == "A\ufffdB"
    assert log.request["sessionID"] == session_id


def test_clean_text_with_unicode_still_passes(dev_api):
    answer = dev_api.call("/Services/get-Deposit", {"catatan": "Budi Ñandar – ✓"})

    assert answer["rc"] == "00"
