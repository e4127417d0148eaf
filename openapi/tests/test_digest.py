"""HTTP Digest as the server checks it: replay, stale nonces, wrong passwords, tampering."""

import pytest

from openapi import digest
from openapi.tests.digestclient import challenge_params

pytestmark = pytest.mark.django_db


def _sign_on(api, **extra):
    return api.post("/auth/Sign-On", api.signon_body(), **extra)


def test_a_nonce_serves_many_calls_with_increasing_nc(dev_api):
    answers = [_sign_on(dev_api).json()["rc"] for _ in range(3)]

    assert answers == ["00", "00", "00"]
    assert dev_api.nc == 3


def test_replayed_authorization_header_is_refused(dev_api):
    header = dev_api.authorization("POST", "/auth/Sign-On")
    first = _sign_on(dev_api, HTTP_AUTHORIZATION=header)

    replay = _sign_on(dev_api, HTTP_AUTHORIZATION=header)

    assert first.status_code == 200
    assert replay.status_code == 401
    assert "stale" not in replay["WWW-Authenticate"]


def test_wrong_password_is_401_and_does_not_burn_the_nc(dev_api):
    good_password = dev_api.password
    dev_api.password = "salah-sekali"
    wrong = dev_api.authorization("POST", "/auth/Sign-On")
    assert _sign_on(dev_api, HTTP_AUTHORIZATION=wrong).status_code == 401

    dev_api.password = good_password
    dev_api.nc -= 1  # the same nonce and nc, now with the right password
    assert _sign_on(dev_api).status_code == 200


def test_stale_nonce_is_401_with_stale_true(dev_api, monkeypatch):
    dev_api.refresh_nonce()
    later = digest._now() + digest.NONCE_LIFETIME + 1
    monkeypatch.setattr(digest, "_now", lambda: later)

    response = _sign_on(dev_api)

    assert response.status_code == 401
    assert "stale=true" in response["WWW-Authenticate"]
    fresh = challenge_params(response["WWW-Authenticate"])["nonce"]
    assert digest.nonce_state(fresh) == "valid"
    dev_api.nonce, dev_api.nc = fresh, 0
    assert _sign_on(dev_api).json()["rc"] == "00"


def test_stale_is_only_said_to_a_client_that_knows_the_password(dev_api, monkeypatch):
    dev_api.refresh_nonce()
    dev_api.password = "salah-sekali"
    later = digest._now() + digest.NONCE_LIFETIME + 1
    monkeypatch.setattr(digest, "_now", lambda: later)

    response = _sign_on(dev_api)

    assert response.status_code == 401
    assert "stale" not in response["WWW-Authenticate"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h: h.replace('realm="WebOpenAPI"', 'realm="Other"'),
        lambda h: h.replace('uri="/auth/Sign-On"', 'uri="/Services/Payment"'),
        lambda h: h.replace("qop=auth", "qop=auth-int"),
        lambda h: h.replace("algorithm=MD5", "algorithm=SHA-256"),
        lambda h: h.replace("nc=00000001", "nc=1"),
    ],
    ids=["realm", "uri", "qop", "algorithm", "nc-format"],
)
def test_tampered_authorization_is_refused(dev_api, tamper):
    header = tamper(dev_api.authorization("POST", "/auth/Sign-On"))

    assert _sign_on(dev_api, HTTP_AUTHORIZATION=header).status_code == 401


def test_forged_nonce_is_refused(dev_api):
    dev_api.nonce = digest.nonce_make()[:-4] + "AAAA"

    assert _sign_on(dev_api).status_code == 401


def test_unknown_username_gets_the_same_challenge(dev_api):
    dev_api.credential.username = "tidak.ada"

    response = _sign_on(dev_api)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")


@pytest.mark.parametrize("store", ["redis", "cache"])
def test_a_nonce_and_nc_are_accepted_once(monkeypatch, store):
    """With Redis (deployments) and with the process cache (``make run``)."""
    if store == "cache":
        monkeypatch.setattr(digest, "_redis", lambda: None)
    else:
        assert digest._redis() is not None
    nonce = digest.nonce_make()

    assert digest.nc_first_use(nonce, "00000001")
    assert not digest.nc_first_use(nonce, "00000001")
    assert digest.nc_first_use(nonce, "00000002")


def test_a_nonce_seen_before_is_still_checked_for_age_and_key(settings):
    nonce = digest.nonce_make()
    assert digest.nonce_state(nonce) == "valid"  # now remembered

    later = digest._now() + digest.NONCE_LIFETIME + 1
    assert digest.nonce_state(nonce, now=later) == "stale"
    settings.SECRET_KEY = "another-" + "k" * 50
    assert digest.nonce_state(nonce) == "invalid"
    assert digest.nonce_state(nonce[:-2] + "AA") == "invalid"


def test_the_authorization_header_is_parsed_with_quotes_escapes_and_bare_values():
    creds = digest.parse_authorization(
        'Digest username="mitra\\"satu", realm="WebOpenAPI", nonce="abc", '
        'uri="/auth/Sign-On", algorithm=MD5, qop=auth, nc=0000000A, '
        'cnonce="c\\\\d", response="ABCDEF"'
    )

    assert (creds.username, creds.cnonce, creds.nc, creds.response) == (
        'mitra"satu',
        "c\\d",
        "0000000a",
        "abcdef",
    )
    assert (creds.qop, creds.algorithm, creds.uri) == ("auth", "MD5", "/auth/Sign-On")


@pytest.mark.parametrize(
    "header",
    [
        'Digest username="'
        + "a" * 8000,  # a quote never closed, as long as a header goes
        'Digest username="' + "a\\" * 4000,
        "Digest " + 'a="\\"' * 1500,
        'Digest username="x", realm="WebOpenAPI"',  # fields missing
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_malformed_authorization_header_is_no_credentials(header):
    assert digest.parse_authorization(header) is None
