"""99 sign-ons a day; from the 100th every request of that credential answers rc 34 until
staff reset the counter in the back-office."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openapi.models import SignOnCounter
from openapi.tests.digestclient import DigestApi
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def _sign_on(api) -> dict:
    return api.post("/auth/Sign-On", api.signon_body()).json()


def _block(credential, day=None):
    counter, _created = SignOnCounter.objects.update_or_create(
        credential=credential, day=day or timezone.localdate(), defaults={"count": 100}
    )
    return counter


def test_99_sign_ons_then_rc_34(dev_api):
    answers = [_sign_on(dev_api) for _ in range(99)]
    assert {a["rc"] for a in answers} == {"00"}

    hundredth = _sign_on(dev_api)

    assert hundredth["rc"] == "34"
    assert "99" in hundredth["description"]
    assert SignOnCounter.objects.get().count == 100


def test_blocked_credential_answers_34_to_every_request(dev_api, prepaid, funded):
    session_id = dev_api.sign_on()
    _block(dev_api.credential)

    for path in ["/Services/get-Deposit", "/Services/SinglePayment", "/auth/Sign-On"]:
        body = {**dev_api.signon_body(), "sessionID": session_id}
        answer = dev_api.post(path, body).json()
        assert answer["rc"] == "34", path
    check = dev_api.post(
        "/Services/Check-Status", {"merchantID": dev_api.credential.merchant_id}
    ).json()
    assert check["rc"] == "34"
    assert SignOnCounter.objects.get().count == 100


def test_the_block_ends_with_the_day(dev_api):
    _block(dev_api.credential, day=timezone.localdate() - datetime.timedelta(days=1))

    assert _sign_on(dev_api)["rc"] == "00"


def test_the_block_is_per_credential(dev_api, client, prod_credential):
    _block(dev_api.credential)

    assert _sign_on(DigestApi(client, prod_credential))["rc"] == "00"


def test_staff_reset_the_counter_from_the_admin_changelist(dev_api, client, staff):
    counter = _block(dev_api.credential)
    assert _sign_on(dev_api)["rc"] == "34"
    client.force_login(staff)

    response = client.post(
        reverse("admin:openapi_signoncounter_changelist"),
        {"action": "reset", "_selected_action": [counter.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "direset" in response.content.decode()
    counter.refresh_from_db()
    assert counter.count == 0 and counter.reset_at is not None
    event = AuditEvent.objects.get(action="signon.counter_reset")
    assert event.actor == staff and event.before == {"count": 100}
    client.logout()
    assert _sign_on(dev_api)["rc"] == "00"


def test_partners_cannot_reach_the_counter_admin(owner_client):
    response = owner_client.get(reverse("admin:openapi_signoncounter_changelist"))

    assert response.status_code == 302
