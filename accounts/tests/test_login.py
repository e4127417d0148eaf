"""Login by phone number (any form) or username; one answer for every wrong combination."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, hashers
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Nomor handphone/username atau password salah."


def _errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


@pytest.fixture
def member(db):
    return UserFactory(phone="+6281234567890")


@pytest.mark.parametrize(
    "identifier",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "6281234567890",
        "+6281234567890",
        "+62 812 3456 7890",
    ],
)
def test_a_member_logs_in_with_the_phone_number_in_any_form(
    login, client, member, password, identifier
):
    response = login(identifier, password)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


@pytest.mark.parametrize("spelling", [str.lower, str.upper])
def test_a_member_logs_in_with_the_username(login, client, member, password, spelling):
    response = login(spelling(member.username), password)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_a_wrong_password_and_an_unknown_account_get_the_same_message(
    login, member, password
):
    wrong_password = login("081234567890", "bukan-password-ini")
    unknown_phone = login("081299998888", password)
    unknown_username = login("tidak-ada", password)

    assert (
        _errors(wrong_password) == _errors(unknown_phone) == _errors(unknown_username)
    )
    assert _errors(wrong_password) == [WRONG]
    assert SESSION_KEY not in wrong_password.wsgi_request.session


def test_an_unknown_account_still_costs_a_password_hash(login, password):
    # Not a timing test: it proves the unknown-account path does the same hashing work.
    with mock.patch(
        "django.contrib.auth.hashers.check_password", wraps=hashers.check_password
    ) as check:
        login("081299998888", password)

    check.assert_called_once()
    assert check.call_args.args[0] == password


def test_an_unverified_member_is_told_to_verify_and_offered_kirim_ulang(
    login, client, send, password, mailoutbox
):
    UserFactory(phone="+6281234567890", email="baru@mitra.test", email_verified_at=None)

    response = login("081234567890", password)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert "Email Anda belum diverifikasi" in html
    kirim_ulang = f'href="{reverse("accounts:verify_email")}">Kirim Ulang</a>'
    assert kirim_ulang in html

    page = send(client.post, reverse("accounts:verify_email"), follow=True)
    assert (
        "Email aktivasi telah dikirim ulang ke baru@mitra.test."
        in page.content.decode()
    )
    assert [m.to for m in mailoutbox] == [["baru@mitra.test"]]


def test_an_unverified_member_with_a_wrong_password_learns_nothing_more(login):
    UserFactory(phone="+6281234567890", email_verified_at=None)

    response = login("081234567890", "bukan-password-ini")

    assert _errors(response) == [WRONG]


def test_a_deactivated_member_cannot_log_in(login, password):
    UserFactory(phone="+6281234567890", is_active=False)

    assert _errors(login("081234567890", password)) == [WRONG]


def test_login_gives_a_new_session_key(login, client, member, password):
    before = client.session
    before["bahasa"] = "id"
    before.save()
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    login("081234567890", password)

    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.session[SESSION_KEY] == str(member.pk)


def test_the_session_cookie_is_http_only_and_same_site(login, member, password):
    response = login("081234567890", password)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_staff_member_logging_in_lands_in_the_back_office(login, staff, password):
    response = login(staff.username, password)

    assert response["Location"] == reverse("admin:index")


def test_the_login_page_offers_lupa_password_and_daftar(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "Nomor Handphone atau Username" in html
    assert "Sandi" not in html

    assert f'href="{reverse("accounts:password_reset")}"' in html
    assert f'href="{reverse("accounts:register")}"' in html
