"""Recovery codes: each logs in once; new ones replace the old."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portal.models import AuditEvent
from usermgmt.tests.factories import TwoFactorFactory, current_code

LOGIN_URL = reverse("accounts:login")
CODE_URL = reverse("usermgmt:two_factor_login")


@pytest.fixture
def two_factor(owner):
    return TwoFactorFactory(user=owner)


def _login_with(client, user, password, code):
    client.logout()
    client.post(LOGIN_URL, {"identifier": user.username, "password": password})
    return client.post(CODE_URL, {"code": code}, follow=True)


def test_a_recovery_code_logs_in_once(client, owner, two_factor, password):
    code = two_factor.plain_codes[0]

    first = _login_with(client, owner, password, code)
    assert client.session[SESSION_KEY] == str(owner.pk)
    assert "Sisa kode pemulihan: 9" in first.content.decode()

    _login_with(client, owner, password, code)
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="usermgmt.recovery_code_used").count() == 1


def test_a_recovery_code_may_be_typed_loosely(client, owner, two_factor, password):
    code = two_factor.plain_codes[1].upper().replace("-", " ")

    _login_with(client, owner, password, code)

    assert client.session[SESSION_KEY] == str(owner.pk)


def test_another_users_recovery_code_does_not_work(client, owner, partner, password):
    TwoFactorFactory(user=owner)
    other = TwoFactorFactory(user__partner=partner, user__is_owner=False)

    _login_with(client, owner, password, other.plain_codes[0])

    assert SESSION_KEY not in client.session


def test_regenerating_replaces_every_code(client, owner, two_factor, password):
    client.force_login(owner)
    url = reverse("usermgmt:recovery_codes")

    response = client.post(url, {"code": current_code(two_factor)})

    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(two_factor.plain_codes)
    _login_with(client, owner, password, two_factor.plain_codes[0])
    assert SESSION_KEY not in client.session
    _login_with(client, owner, password, new_codes[0])
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_regenerating_needs_a_valid_code(client, owner, two_factor):
    client.force_login(owner)

    response = client.post(reverse("usermgmt:recovery_codes"), {"code": "000000"})

    assert response.context["form"].errors["code"]
    assert two_factor.recovery_codes.count() == 10
