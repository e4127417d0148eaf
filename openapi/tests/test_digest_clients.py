"""Unmodified standard clients against a live server: curl --digest, requests'
HTTPDigestAuth and httpx.DigestAuth sign on and pay; a wrong password, a replayed header
and a stale nonce are refused (the standard clients recover from stale by themselves)."""

import json
import shutil
import subprocess

import httpx
import pytest
import requests
from requests.auth import HTTPDigestAuth

from openapi import digest
from openapi.tests.factories import DEV_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
CUSTOMER = "530000000001"


@pytest.fixture
def api(live_server, dev_credential, whitelist, postpaid, funded):
    return live_server.url


def _signon_body(credential):
    return {
        "mitra": credential.mitra,
        "accountID": credential.account_id,
        "merchantID": credential.merchant_id,
        "merchantName": credential.merchant_name,
        "counterID": credential.counter_id,
    }


def _journey(post, credential) -> list[dict]:
    """Sign on, inquire and pay through ``post(path, body) -> dict``."""
    signed = post("/auth/Sign-On", _signon_body(credential))
    base = {"merchantID": credential.merchant_id, "sessionID": signed["SessionID"]}
    bill = {"productID": "100301", "customerID": CUSTOMER, "referenceID": "LIVE-1"}
    asked = post("/Services/Inquiry", {**base, **bill})
    amounts = {k: asked["data"][k] for k in ("tagihan", "admin", "total")}
    paid = post("/Services/Payment", {**base, **bill, **amounts})
    return [signed, asked, paid]


def _assert_paid(answers):
    assert [a["rc"] for a in answers] == ["00", "00", "00"], answers
    assert answers[2]["data"]["status"] == "SUKSES"


def test_curl_digest(api, dev_credential):
    curl = shutil.which("curl")
    assert curl

    def post(path, body, password=DEV_PASSWORD):
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [
                curl,
                "-sS",
                "--digest",
                "-u",
                f"{dev_credential.username}:{password}",
                "-H",
                "Content-Type: application/json",
                "-d",
                json.dumps(body),
                "-w",
                "\n%{http_code}",
                api + path,
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        text, status = result.stdout.rsplit("\n", 1)
        return {**json.loads(text), "_status": int(status)}

    _assert_paid(_journey(post, dev_credential))
    wrong = post("/auth/Sign-On", _signon_body(dev_credential), password="salah")
    assert wrong["_status"] == 401


def test_requests_http_digest_auth(api, dev_credential):
    session = requests.Session()
    session.auth = HTTPDigestAuth(dev_credential.username, DEV_PASSWORD)
    responses = []

    def post(path, body):
        response = session.post(api + path, json=body, timeout=30)
        responses.append(response)
        return response.json()

    _assert_paid(_journey(post, dev_credential))
    # One challenge, then the nonce is reused with nc 2, 3.
    assert [len(r.history) for r in responses] == [1, 0, 0]
    assert [_nc(r.request.headers["Authorization"]) for r in responses] == [1, 2, 3]

    wrong = requests.post(
        api + "/auth/Sign-On",
        json=_signon_body(dev_credential),
        auth=HTTPDigestAuth(dev_credential.username, "salah"),
        timeout=30,
    )
    assert wrong.status_code == 401


def test_httpx_digest_auth(api, dev_credential):
    with httpx.Client(
        auth=httpx.DigestAuth(dev_credential.username, DEV_PASSWORD), timeout=30
    ) as client:
        responses = []

        def post(path, body):
            response = client.post(api + path, json=body)
            responses.append(response)
            return response.json()

        _assert_paid(_journey(post, dev_credential))
        assert [_nc(r.request.headers["Authorization"]) for r in responses] == [1, 2, 3]

    wrong = httpx.post(
        api + "/auth/Sign-On",
        json=_signon_body(dev_credential),
        auth=httpx.DigestAuth(dev_credential.username, "salah"),
    )
    assert wrong.status_code == 401


def test_replayed_header_is_refused(api, dev_credential):
    body = _signon_body(dev_credential)
    first = requests.post(
        api + "/auth/Sign-On",
        json=body,
        auth=HTTPDigestAuth(dev_credential.username, DEV_PASSWORD),
        timeout=30,
    )
    assert first.status_code == 200
    header = first.request.headers["Authorization"]

    replay = requests.post(
        api + "/auth/Sign-On", json=body, headers={"Authorization": header}, timeout=30
    )

    assert replay.status_code == 401
    assert replay.json()["rc"] == "10"


def test_clients_recover_from_a_stale_nonce(api, dev_credential, monkeypatch):
    session = requests.Session()
    session.auth = HTTPDigestAuth(dev_credential.username, DEV_PASSWORD)
    body = _signon_body(dev_credential)
    assert session.post(api + "/auth/Sign-On", json=body, timeout=30).status_code == 200
    later = digest._now() + digest.NONCE_LIFETIME + 5
    monkeypatch.setattr(digest, "_now", lambda: later)

    again = session.post(api + "/auth/Sign-On", json=body, timeout=30)

    assert again.status_code == 200
    assert len(again.history) == 1
    stale = again.history[0]
    assert stale.status_code == 401
    assert "stale=true" in stale.headers["WWW-Authenticate"]


def _nc(header: str) -> int:
    return int(header.split("nc=")[1].split(",")[0].strip('"'), 16)
