"""Five failed logins lock an account for 15 minutes, wherever they come from."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Terlalu banyak percobaan login yang gagal. Akun dikunci sementara"
WRONG = "Nomor handphone/username atau password salah."
ADMIN_LOGIN = reverse("admin:login")

# One account, named five different ways, from five different addresses.
ATTEMPTS = [
    ("081234567890", "10.0.0.1", "198.51.100.1"),
    ("+62 812 3456 7890", "10.0.0.2", "198.51.100.2"),
    ("6281234567890", "10.0.0.3", "203.0.113.3"),
    ("0812-3456-7890", "10.0.0.4", "203.0.113.4, 10.0.0.1"),
    ("username", "10.0.0.5", "192.0.2.5"),
]


@pytest.fixture
def member(db):
    return UserFactory(phone="+6281234567890")


def _fail_five_times(member):
    """Five wrong passwords from five browsers and addresses; the last answer."""
    for identifier, remote_addr, forwarded in ATTEMPTS:
        response = Client().post(
            reverse("accounts:login"),
            {
                "identifier": member.username
                if identifier == "username"
                else identifier,
                "password": "tebakan-yang-salah",
            },
            REMOTE_ADDR=remote_addr,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    return response


def _errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_four_failures_do_not_lock(login, clock, member, password):
    for identifier, remote_addr, forwarded in ATTEMPTS[:4]:
        login(
            identifier, "salah", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded
        )

    assert login("081234567890", password).status_code == 302


def test_the_fifth_failure_locks_the_account_and_says_what_happened(clock, member):
    response = _fail_five_times(member)

    message = _errors(response)
    assert LOCKED in message
    assert "coba lagi dalam 15 menit" in message
    assert "Lupa Password" in message


def test_the_right_password_is_refused_while_locked_from_anywhere(
    login, client, clock, member, password
):
    _fail_five_times(member)
    clock.advance(minutes=14, seconds=59)

    response = login("081234567890", password, REMOTE_ADDR="192.0.2.200")

    assert response.status_code == 200
    assert LOCKED in _errors(response)
    assert "coba lagi dalam 1 menit" in _errors(response)
    assert SESSION_KEY not in client.session


def test_the_account_opens_again_after_15_minutes(
    login, client, clock, member, password
):
    _fail_five_times(member)
    clock.advance(minutes=15, seconds=1)

    response = login("081234567890", password)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_failures_spread_over_more_than_15_minutes_do_not_add_up(
    login, clock, member, password
):
    for identifier, remote_addr, _forwarded in ATTEMPTS[:4]:
        login(identifier, "salah", REMOTE_ADDR=remote_addr)
    clock.advance(minutes=16)
    for identifier, remote_addr, _forwarded in ATTEMPTS[:4]:
        login(identifier, "salah", REMOTE_ADDR=remote_addr)

    assert login("081234567890", password).status_code == 302


def test_a_successful_login_clears_earlier_failures(clock, member, password):
    def attempt(secret):
        return Client().post(
            reverse("accounts:login"),
            {"identifier": "081234567890", "password": secret},
        )

    for _ in range(4):
        attempt("salah")
    assert attempt(password).status_code == 302
    for _ in range(4):
        response = attempt("salah")

    # Counted again from zero: four failures leave one attempt, no lock.
    assert _errors(response).startswith(WRONG)
    assert "Sisa percobaan: 1." in _errors(response)


def test_an_unknown_account_locks_the_same_way_so_the_lock_reveals_nothing(
    login, clock
):
    for _ in range(5):
        response = login("081299998888", "salah")

    assert LOCKED in _errors(response)


def test_locking_one_account_leaves_others_alone(login, clock, member, password):
    other = UserFactory(phone="+6281299998888")
    _fail_five_times(member)

    assert login("081299998888", password).status_code == 302
    assert other.is_active


def test_the_back_office_login_counts_towards_the_same_lock(clock, staff, password):
    for number in range(5):
        Client().post(
            ADMIN_LOGIN,
            {"username": staff.username, "password": "salah"},
            REMOTE_ADDR=f"10.1.0.{number}",
        )
    browser = Client()

    admin_answer = browser.post(
        ADMIN_LOGIN, {"username": staff.username, "password": password}
    )
    portal_answer = browser.post(
        reverse("accounts:login"), {"identifier": staff.username, "password": password}
    )

    assert admin_answer.status_code == 200  # the login form again, not a redirect
    assert SESSION_KEY not in browser.session
    assert LOCKED in _errors(portal_answer)

    clock.advance(minutes=15, seconds=1)
    browser.post(ADMIN_LOGIN, {"username": staff.username, "password": password})
    assert browser.session[SESSION_KEY] == str(staff.pk)


def test_portal_failures_lock_the_back_office_login_too(login, clock, staff, password):
    for _ in range(5):
        login(staff.username, "salah")
    browser = Client()

    response = browser.post(
        ADMIN_LOGIN, {"username": staff.username, "password": password}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in browser.session
