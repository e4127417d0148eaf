"""HTTP Digest as the server checks it: replay, stale nonces, wrong passwords, tampering."""

import json
import logging
import re

import pytest
from django.core.cache import cache

from openapi import digest
from openapi.tests.digestclient import challenge_params

pytestmark = pytest.mark.django_db


def _sign_on(api, **extra):
    return api.post("/auth/Sign-On", api.signon_body(), **extra)


def _forged(nonce: str) -> str:
    """The same nonce with another signature."""
    return nonce[:-4] + ("0000" if nonce[-4:] != "0000" else "1111")


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
        lambda h: h.replace("nc=00000001", "nc=0x000001"),
    ],
    ids=["realm", "uri", "qop", "algorithm", "nc-respelt", "nc-format"],
)
def test_tampered_authorization_is_refused(dev_api, tamper):
    header = tamper(dev_api.authorization("POST", "/auth/Sign-On"))

    assert _sign_on(dev_api, HTTP_AUTHORIZATION=header).status_code == 401


def test_forged_nonce_is_refused(dev_api):
    dev_api.nonce = _forged(digest.nonce_make())

    assert _sign_on(dev_api).status_code == 401


def test_unknown_username_gets_the_same_challenge(dev_api):
    dev_api.credential.username = "tidak.ada"

    response = _sign_on(dev_api)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")


@pytest.mark.parametrize("store", ["redis", "cache"])
def test_per_nonce_nc_must_increase(monkeypatch, store):
    """With Redis (deployments) and with the process cache (``make run``)."""
    if store == "cache":
        monkeypatch.setattr(digest, "redis_client", lambda: None)
    else:
        assert digest.redis_client() is not None
    nonce, other = digest.nonce_make(), digest.nonce_make()

    assert digest.nc_advance(nonce, 1)
    assert not digest.nc_advance(nonce, 1)
    assert digest.nc_advance(nonce, 2)
    assert digest.nc_advance(nonce, 5)
    assert not digest.nc_advance(nonce, 3)
    assert not digest.nc_advance(nonce, 5)
    assert digest.nc_advance(nonce, 6)
    assert digest.nc_advance(other, 1)


@pytest.mark.parametrize("store", ["redis", "cache"])
def test_the_nc_is_kept_under_the_caches_own_keys(settings, monkeypatch, store):
    """``KEY_PREFIX`` applies: two deployments sharing one Redis keep their nonces apart."""
    if store == "cache":
        monkeypatch.setattr(digest, "redis_client", lambda: None)
    nonce = digest.nonce_make()
    key = f"openapi:digest-nc:{nonce}"
    default = settings.CACHES["default"]

    settings.CACHES = {"default": {**default, "KEY_PREFIX": "deployment-a"}}
    assert digest.nc_advance(nonce, 1)
    assert not digest.nc_advance(nonce, 1)
    assert cache.get(key) == 1
    assert cache.make_key(key).startswith("deployment-a:")

    settings.CACHES = {"default": {**default, "KEY_PREFIX": "deployment-b"}}
    assert cache.get(key) is None
    assert digest.nc_advance(nonce, 1)


def test_the_script_is_loaded_again_when_redis_forgot_it():
    digest.redis_client().script_flush()

    assert digest.nc_advance(digest.nonce_make(), 1)


def test_a_nonce_seen_before_is_still_checked_for_age_and_key(settings):
    nonce = digest.nonce_make()
    assert digest.nonce_state(nonce) == "valid"  # now remembered

    later = digest._now() + digest.NONCE_LIFETIME + 1
    assert digest.nonce_state(nonce, now=later) == "stale"
    settings.SECRET_KEY = "another-" + "k" * 50
    assert digest.nonce_state(nonce) == "invalid"
    assert digest.nonce_state(_forged(nonce)) == "invalid"
    assert digest.nonce_state(nonce.upper()) == "invalid"


def test_the_authorization_header_is_parsed_with_quotes_escapes_and_bare_values():
    creds = digest.parse_authorization(
        'Digest username="mitra\\"satu", realm="WebOpenAPI", nonce="abc", '
        'uri="/auth/Sign-On", algorithm=MD5, qop=auth, nc=0000000A, '
        'cnonce="c\\\\d", response="ABCDEF"'
    )

    assert (creds.username, creds.cnonce, creds.nc, creds.response) == (
        'mitra"satu',
        "c\\d",
        "0000000A",  # as sent: the client's response was computed with it
        "abcdef",
    )
    assert creds.nc_value == 10
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


def test_the_challenge_has_kiosbank_s_exact_form(dev_api):
    response = dev_api.client.get("/auth/Sign-On")

    assert response.status_code == 401
    assert re.fullmatch(
        r'Digest realm="WebOpenAPI",qop="auth",nonce="[0-9a-f]{32}",opaque="[0-9a-f]{32}"',
        response["WWW-Authenticate"],
    )
    header_names = [name.lower() for name, _value in response.items()]
    # Clients of the PHP sample read up to the first "error": it must follow at once.
    assert header_names.index("error") == header_names.index("www-authenticate") + 1
    assert response.json()["rc"] == "10"


def test_a_stale_challenge_only_appends_stale_true(dev_api, monkeypatch):
    dev_api.refresh_nonce()
    later = digest._now() + digest.NONCE_LIFETIME + 1
    monkeypatch.setattr(digest, "_now", lambda: later)

    header = _sign_on(dev_api)["WWW-Authenticate"]

    assert re.fullmatch(
        r'Digest realm="WebOpenAPI",qop="auth",nonce="[0-9a-f]{32}",'
        r'opaque="[0-9a-f]{32}",stale=true',
        header,
    )


def test_decimal_nc_as_the_php_sample_sends_it_and_each_replay_is_refused(dev_api):
    dev_api.nc_text = str
    for expected_nc in ("1", "2", "3"):
        header = dev_api.authorization("POST", "/auth/Sign-On")
        assert f"nc={expected_nc}," in header

        assert _sign_on(dev_api, HTTP_AUTHORIZATION=header).json()["rc"] == "00"
        assert _sign_on(dev_api, HTTP_AUTHORIZATION=header).status_code == 401


def test_an_nc_is_one_call_whatever_its_spelling(dev_api):
    dev_api.nc_text = str
    decimal = dev_api.authorization("POST", "/auth/Sign-On")
    dev_api.nc -= 1
    dev_api.nc_text = lambda nc: f"{nc:08x}"
    padded = dev_api.authorization("POST", "/auth/Sign-On")

    assert _sign_on(dev_api, HTTP_AUTHORIZATION=decimal).status_code == 200
    assert _sign_on(dev_api, HTTP_AUTHORIZATION=padded).status_code == 401


def test_an_older_nc_is_refused_after_a_newer_one(dev_api):
    dev_api.refresh_nonce()
    dev_api.nc = 4
    fifth = dev_api.authorization("POST", "/auth/Sign-On")
    dev_api.nc = 2
    third = dev_api.authorization("POST", "/auth/Sign-On")

    assert _sign_on(dev_api, HTTP_AUTHORIZATION=fifth).status_code == 200
    refused = _sign_on(dev_api, HTTP_AUTHORIZATION=third)
    assert refused.status_code == 401
    assert "stale" not in refused["WWW-Authenticate"]


def _respelt(header: str) -> str:
    """The same parameters quoted the other way, reversed, without spaces."""
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', header.removeprefix("Digest ")))
    quoted = {"qop", "nc", "algorithm"}
    parts = [
        f'{key}="{value}"' if key in quoted else f"{key}={value}"
        for key, value in params.items()
        if key not in ("username", "realm", "uri", "response", "nonce", "cnonce")
    ]
    parts += [
        f'{key}="{params[key]}"'
        for key in ("response", "cnonce", "uri", "nonce", "realm", "username")
    ]
    return "Digest " + ",".join(reversed(parts))


def test_quoted_values_free_order_and_no_spaces_are_accepted(dev_api):
    header = _respelt(dev_api.authorization("POST", "/auth/Sign-On"))
    assert 'qop="auth"' in header and 'nc="00000001"' in header

    assert _sign_on(dev_api, HTTP_AUTHORIZATION=header).json()["rc"] == "00"


def test_authorization_with_a_space_before_the_colon_where_the_server_passes_it(
    dev_api,
):
    """A WSGI server that keeps the name ``Authorization `` gives this key."""
    header = dev_api.authorization("POST", "/auth/Sign-On")
    meta = {"HTTP_AUTHORIZATION ": header}

    assert digest.authorization_header(meta) == header
    assert digest.authorization_header({"HTTP_AUTHORIZATIONX": header}) == ""
    response = dev_api.client.post(
        "/auth/Sign-On",
        json.dumps(
            {"merchantID": dev_api.credential.merchant_id, **dev_api.signon_body()}
        ),
        content_type="application/json",
        REMOTE_ADDR=dev_api.ip,
        **meta,
    )
    assert response.json()["rc"] == "00"


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_warnings():
    """What ``django.request`` lets through its filters (as configured in settings)."""
    handler = _Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_the_digest_handshake_is_no_warning_of_django_request(
    dev_api, client, request_warnings
):
    assert client.get("/auth/Sign-On").status_code == 401
    dev_api.password = "salah-sekali"
    assert _sign_on(dev_api).status_code == 401
    assert request_warnings == []

    # Other answers of the API and the portal's 4xx are still warned about.
    assert client.get("/Services/tidak-ada").status_code == 404
    assert client.get("/tidak-ada-halaman/").status_code == 404
    assert [r.status_code for r in request_warnings] == [404, 404]
