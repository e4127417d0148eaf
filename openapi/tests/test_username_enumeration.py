"""The Open API does not tell an outsider which usernames exist: the password is checked
before the IP, so from an address that is not whitelisted a real username with a wrong
password gets the same 401 as a username that does not exist; only a caller who knows the
password learns that its IP is not approved (and for which environment)."""

import pytest

from openapi.tests.digestclient import DigestApi, challenge_params

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.77"  # approved for no one


def _attempt(client, credential, **kwargs):
    api = DigestApi(client, credential, ip=OUTSIDE, **kwargs)
    return api.post("/auth/Sign-On", api.signon_body())


def _shape(response) -> tuple:
    """What an outsider can compare between two answers (the nonce is new each time)."""
    params = challenge_params(response["WWW-Authenticate"])
    return (
        response.status_code,
        response.json(),
        sorted(params),
        params.get("stale"),
    )


def test_a_wrong_password_answers_like_an_unknown_username(
    client, dev_credential, whitelist
):
    wrong_password = _attempt(client, dev_credential, password="tebakan-salah")
    dev_credential.username = "tidak.ada.sama.sekali"
    unknown = _attempt(client, dev_credential, password="tebakan-salah")

    assert wrong_password.status_code == 401
    assert _shape(wrong_password) == _shape(unknown)
    assert "Development" not in wrong_password.content.decode()


def test_the_right_password_from_an_unknown_ip_learns_about_the_ip(
    client, dev_credential, whitelist
):
    response = _attempt(client, dev_credential)

    assert response.status_code == 403
    assert response.json() == {
        "rc": "45",
        "description": f"IP {OUTSIDE} belum terdaftar/disetujui untuk Development",
    }
