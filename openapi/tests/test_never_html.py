"""Whatever arrives, the Open API answers JSON: never an HTML page, never a 500."""

from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def _assert_json(response):
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize(
    "path", ["/auth/Sign-On", "/Services/Payment", "/Services/Check-Status"]
)
def test_get_returns_the_digest_challenge(client, path):
    response = client.get(path)

    answer = _assert_json(response)
    assert response.status_code == 401
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith('Digest realm="WebOpenAPI",qop="auth",nonce="')
    assert ',opaque="' in challenge
    assert "Digest" in answer["description"]


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods(client, method):
    response = getattr(client, method)("/Services/Payment")

    assert _assert_json(response)["rc"] == "02"
    assert response.status_code == 405


@pytest.mark.parametrize(
    "path", ["/Services/Paymentt", "/Services/Payment/", "/Services", "/auth/sign-on"]
)
def test_unknown_paths_under_the_api(client, path):
    response = client.post(path, "{}", content_type="application/json")

    assert response.status_code == 404
    assert "tidak dikenal" in _assert_json(response)["description"]


def test_post_without_authorization(client):
    response = client.post("/Services/Payment", "", content_type="application/json")

    assert response.status_code == 401
    _assert_json(response)


def test_huge_body_is_refused_without_reading_it(dev_api):
    body = b'{"x": "' + b"a" * (1024 * 1024) + b'"}'

    response = dev_api.post_raw("/Services/Inquiry", body)

    answer = _assert_json(response)
    assert answer["rc"] == "02"
    assert "terlalu besar" in answer["description"]


def test_huge_body_without_authorization(client):
    response = client.post(
        "/Services/Inquiry", b"a" * (13 * 1024 * 1024), content_type="text/plain"
    )
    assert response.status_code == 401
    _assert_json(response)


def test_garbage_authorization_header(client, dev_credential, whitelist):
    for header in ["Basic dXNlcjpwYXNz", "Digest", 'Digest username="x"', "Digest ,,,"]:
        response = client.post(
            "/auth/Sign-On",
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
        )
        assert response.status_code == 401
        _assert_json(response)


def test_an_unexpected_error_is_rc_01_json(dev_api, monkeypatch):
    session_id = dev_api.sign_on()
    with mock.patch(
        "openapi.services.catalogue.deposit_balance", side_effect=RuntimeError("boom")
    ):
        response = dev_api.post(
            "/Services/get-Deposit",
            {"sessionID": session_id, "merchantID": dev_api.credential.merchant_id},
        )

    assert response.status_code == 200
    assert _assert_json(response)["rc"] == "01"


def test_ping_answers_json_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")

    assert response.json() == {"status": "ok"}
