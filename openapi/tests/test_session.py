"""rc 34 for a missing, unknown, foreign or expired sessionID; Check-Status needs none."""

import pytest
from django.utils import timezone

from connections.tests.factories import ConnectionFactory
from openapi.models import SignOnSession
from openapi.tests.digestclient import DigestApi
from openapi.tests.factories import CredentialFactory
from openapi.tests.helpers import buy, check_status

pytestmark = pytest.mark.django_db


def _deposit(api, session_id):
    body = {"merchantID": api.credential.merchant_id}
    if session_id is not None:
        body["sessionID"] = session_id
    return api.post("/Services/get-Deposit", body).json()


@pytest.mark.parametrize("session_id", [None, "", "0" * 32, "not-hex", 12345], ids=str)
def test_34_without_a_valid_session(dev_api, session_id):
    answer = _deposit(dev_api, session_id)

    assert answer["rc"] == "34"
    assert "Sign On" in answer["description"]


def test_34_session_of_another_credential(dev_api, client, whitelist, prod_credential):
    other = DigestApi(client, prod_credential)

    assert _deposit(dev_api, other.sign_on())["rc"] == "34"


def test_34_expired_session(dev_api):
    session_id = dev_api.sign_on()
    SignOnSession.objects.update(expires_at="2000-01-01T00:00:00Z")

    assert _deposit(dev_api, session_id)["rc"] == "34"


def test_a_session_serves_every_service(dev_api):
    session_id = dev_api.sign_on()

    answer = _deposit(dev_api, session_id)

    assert answer["rc"] == "00"
    assert answer["sessionID"] == session_id


def test_check_status_needs_no_session(dev_api, prepaid, funded):
    assert buy(dev_api, prepaid, "081200000001", "CS-1")["rc"] == "00"

    answer = check_status(
        dev_api, prepaid, "081200000001", "CS-1", timezone.localdate()
    )

    assert answer["rc"] == "00"
    assert answer["data"]["status"] == "SUKSES"


def test_sessions_belong_to_their_partner(client, partner, whitelist):
    """A second partner's credential cannot use the first partner's session."""
    mine = DigestApi(client, CredentialFactory(partner=partner))
    other = CredentialFactory()
    ConnectionFactory(partner=other.partner, address="127.0.0.1", approved=True)
    theirs = DigestApi(client, other)

    assert _deposit(theirs, mine.sign_on())["rc"] == "34"
    assert _deposit(theirs, theirs.sign_on())["rc"] == "00"
