"""Login with two-factor: password first, then Masukkan kode; nothing is logged in between."""

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from usermgmt.login import PENDING
from usermgmt.models import TwoFactor
from usermgmt.tests.factories import TwoFactorFactory, current_code

LOGIN_URL = reverse("accounts:login")
CODE_URL = reverse("usermgmt:two_factor_login")


@pytest.fixture
def two_factor(owner):
    return TwoFactorFactory(user=owner)


def _password(client, user, password, **extra):
    return client.post(
        LOGIN_URL, {"identifier": user.username, "password": password, **extra}
    )


def test_the_password_leads_to_the_code_page_without_logging_in(
    client, owner, two_factor, password
):
    response = _password(client, owner, password)

    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    assert SESSION_KEY not in client.session
    assert client.get(reverse("portal:dashboard")).status_code == 302
    page = client.get(CODE_URL)
    assert "Masukkan Kode" in page.content.decode()


def test_a_correct_code_logs_in_and_keeps_next(client, owner, two_factor, password):
    target = reverse("usermgmt:list")
    _password(client, owner, password, next=target)

    response = client.post(CODE_URL, {"code": current_code(two_factor)})

    assert response.status_code == 302
    assert response["Location"] == target
    assert client.session[SESSION_KEY] == str(owner.pk)
    assert PENDING not in client.session


def test_an_outside_next_is_not_followed(client, owner, two_factor, password):
    _password(client, owner, password, next="https://evil.example/")

    response = client.post(CODE_URL, {"code": current_code(two_factor)})

    assert "evil" not in response["Location"]


def test_a_wrong_code_is_refused(client, owner, two_factor, password):
    _password(client, owner, password)

    response = client.post(CODE_URL, {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Kode verifikasi salah atau sudah digunakan."
    ]
    assert SESSION_KEY not in client.session
    assert TwoFactor.objects.get(pk=two_factor.pk).failures == 1


def test_five_wrong_codes_send_the_user_back_to_login(
    client, owner, two_factor, password
):
    _password(client, owner, password)

    for _ in range(4):
        assert client.post(CODE_URL, {"code": "000000"}).status_code == 200
    response = client.post(CODE_URL, {"code": "000000"}, follow=True)

    assert response.redirect_chain[-1][0] == LOGIN_URL
    assert "Terlalu banyak kode yang salah" in response.content.decode()
    assert PENDING not in client.session
    # Even the right code is useless now: the password must be typed again.
    again = client.post(CODE_URL, {"code": current_code(two_factor)})
    assert again["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session


def test_ten_wrong_codes_in_a_row_lock_code_entry(client, owner, two_factor, password):
    for _ in range(2):
        _password(client, owner, password)
        for _ in range(5):
            client.post(CODE_URL, {"code": "000000"})

    _password(client, owner, password)
    response = client.post(CODE_URL, {"code": current_code(two_factor)}, follow=True)

    assert "dikunci sementara" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_code_cannot_be_used_twice(client, owner, two_factor, password):
    code = current_code(two_factor)
    _password(client, owner, password)
    client.post(CODE_URL, {"code": code})
    client.logout()

    _password(client, owner, password)
    response = client.post(CODE_URL, {"code": code})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_code_page_without_a_password_goes_to_login(client):
    response = client.get(CODE_URL)

    assert response["Location"] == LOGIN_URL


def test_the_pending_login_expires(client, owner, two_factor, password, monkeypatch):
    _password(client, owner, password)
    session = client.session
    data = session[PENDING]
    data["at"] -= 11 * 60
    session[PENDING] = data
    session.save()

    response = client.post(CODE_URL, {"code": current_code(two_factor)})

    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session


def test_a_password_changed_meanwhile_ends_the_pending_login(
    client, owner, two_factor, password
):
    _password(client, owner, password)
    owner.set_password("Sandi-Lain-Sekali-99")
    owner.save()

    response = client.post(CODE_URL, {"code": current_code(two_factor)})

    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session


def test_users_without_two_factor_log_in_as_before(client, owner, password):
    response = _password(client, owner, password)

    assert client.session[SESSION_KEY] == str(owner.pk)
    assert response["Location"] != CODE_URL


def test_a_code_from_another_secret_is_refused(client, owner, two_factor, password):
    _password(client, owner, password)

    client.post(CODE_URL, {"code": pyotp.TOTP(pyotp.random_base32()).now()})

    assert SESSION_KEY not in client.session
