"""Sign-On: the body must match the credential; the session lives until 23:59:59 WIB."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from openapi.models import SignOnCounter, SignOnSession

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def clock(monkeypatch):
    """A frozen ``timezone.now`` that a test can move."""

    class Clock:
        now = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)

        def set(self, *args):
            self.now = datetime.datetime(*args, tzinfo=WIB)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now.astimezone(datetime.UTC))
    return frozen


def _deposit(api, session_id):
    return api.call("/Services/get-Deposit", {"sessionID": session_id})


def test_sign_on_answers_a_session_id(dev_api):
    response = dev_api.post("/auth/Sign-On", dev_api.signon_body())

    answer = response.json()
    assert answer["rc"] == "00"
    assert re.fullmatch(r"[0-9a-f]{32}", answer["SessionID"])
    assert "23:59:59 WIB" in answer["description"]


def test_session_valid_until_235959_wib_and_not_at_midnight(dev_api, clock):
    clock.set(2026, 11, 30, 0, 0, 1)
    session_id = dev_api.sign_on()
    session = SignOnSession.objects.get(session_id=session_id)
    assert timezone.localtime(session.expires_at) == datetime.datetime(
        2026, 11, 30, 23, 59, 59, tzinfo=WIB
    )

    clock.set(2026, 11, 30, 23, 59, 59)
    assert _deposit(dev_api, session_id)["rc"] == "00"

    clock.set(2026, 12, 1, 0, 0, 0)
    answer = _deposit(dev_api, session_id)
    assert answer["rc"] == "34"
    assert "Sign On" in answer["description"]


def test_a_session_made_just_before_midnight_ends_at_midnight(dev_api, clock):
    clock.set(2026, 11, 30, 23, 59, 58)
    session_id = dev_api.sign_on()

    clock.set(2026, 12, 1, 0, 0, 1)

    assert _deposit(dev_api, session_id)["rc"] == "34"


def test_each_sign_on_gives_a_new_session_and_the_old_one_still_works(dev_api):
    first = dev_api.sign_on()
    dev_api.session_id = ""
    second = dev_api.sign_on()

    assert first != second
    assert _deposit(dev_api, first)["rc"] == "00"
    assert SignOnCounter.objects.get().count == 2


@pytest.mark.parametrize(
    "field", ["mitra", "accountID", "merchantID", "merchantName", "counterID"]
)
def test_02_body_value_not_matching_the_credential(dev_api, field):
    body = {**dev_api.signon_body(), field: "SALAH"}

    answer = dev_api.post("/auth/Sign-On", body).json()

    assert answer["rc"] == "02"
    assert field in answer["description"]
    assert not SignOnSession.objects.exists()
    assert not SignOnCounter.objects.exists()


@pytest.mark.parametrize("field", ["mitra", "merchantName"])
def test_02_body_value_missing(dev_api, field):
    body = {k: v for k, v in dev_api.signon_body().items() if k != field}

    answer = dev_api.post("/auth/Sign-On", body).json()

    assert answer["rc"] == "02"
    assert field in answer["description"]


def test_02_body_of_the_other_environment(dev_api, client, prod_credential):
    from openapi.tests.digestclient import DigestApi

    production_body = DigestApi(client, prod_credential).signon_body()

    answer = dev_api.post("/auth/Sign-On", production_body).json()

    assert answer["rc"] == "02"
