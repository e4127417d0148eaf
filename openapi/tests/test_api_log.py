"""Every call is logged as the server saw it; passwords and Authorization never are."""

import json

import pytest

from openapi.models import ApiLog
from openapi.tests.factories import DEV_PASSWORD
from openapi.tests.helpers import buy

pytestmark = pytest.mark.django_db


def test_a_call_is_logged_with_what_the_partner_needs(dev_api, prepaid, funded):
    session_id = dev_api.sign_on()
    buy(dev_api, prepaid, "081200000001", "LOG-1")

    log = ApiLog.objects.get(path="/Services/SinglePayment")
    assert log.partner == dev_api.credential.partner
    assert log.environment == "development"
    assert log.username == dev_api.credential.username
    assert log.method == "POST" and log.ip == "127.0.0.1"
    assert log.http_status == 200 and log.rc == "00"
    assert log.reference_id == "LOG-1" and log.product_code == "100312"
    assert log.request["customerID"] == "081200000001"
    assert log.request["sessionID"] == session_id
    assert log.response["data"]["status"] == "SUKSES"
    assert log.duration_ms >= 0


def test_refusals_are_logged_too(client, dev_credential, whitelist):
    from openapi.tests.digestclient import DigestApi

    outsider = DigestApi(client, dev_credential, ip="203.0.113.50")
    outsider.post("/auth/Sign-On", outsider.signon_body())

    log = ApiLog.objects.get()
    assert (log.rc, log.http_status, log.ip) == ("45", 403, "203.0.113.50")
    assert log.partner == dev_credential.partner


def test_the_bare_digest_handshake_is_not_a_call(client):
    client.get("/auth/Sign-On")
    client.post("/Services/Payment", "{}", content_type="application/json")

    assert not ApiLog.objects.exists()


def test_no_password_or_authorization_is_ever_stored(dev_api, prepaid, funded):
    headers = []
    original = dev_api.authorization

    def remember(method, uri):
        headers.append(original(method, uri))
        return headers[-1]

    dev_api.authorization = remember
    buy(dev_api, prepaid, "081200000001", "LOG-2")
    # A careless client that puts secrets in the body.
    dev_api.call(
        "/Services/get-Deposit", {"password": DEV_PASSWORD, "Authorization": "x"}
    )
    dev_api.password = "salah-Rahasia"
    dev_api.post("/auth/Sign-On", dev_api.signon_body())

    stored = json.dumps(list(ApiLog.objects.values()), default=str)
    assert ApiLog.objects.count() == 4
    assert DEV_PASSWORD not in stored and "salah-Rahasia" not in stored
    assert dev_api.credential.ha1 not in stored
    for header in headers:
        assert header not in stored
        assert header.split('response="')[1][:32] not in stored
    assert "Digest username" not in stored


def test_log_survives_a_body_that_is_not_json(dev_api):
    dev_api.post_raw("/Services/Inquiry", b"<xml>bukan json</xml>")

    log = ApiLog.objects.get()
    assert log.rc == "02"
    assert log.request == {"_raw": "<xml>bukan json</xml>"}
