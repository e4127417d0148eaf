"""Lupa Password: a single-use link valid 60 minutes that ends every other session."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client
from django.urls import reverse

from accounts.tests.helpers import email_button_link

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "layang-layang-di-sore-hari"


def _request_link(send, email: str):
    return send(Client().post, RESET, {"email": email}, follow=True)


def _set_password(link: str, password: str = NEW_PASSWORD, client=None):
    """Follow the emailed link like a browser and choose a new password."""
    client = client or Client()
    form_page = client.get(link, follow=True)
    if not form_page.context["validlink"]:
        return form_page
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def _later(minutes: int):
    """The reset-token clock, ``minutes`` from now (Django's tokens use datetime.now())."""
    return mock.patch.object(
        PasswordResetTokenGenerator,
        "_now",
        return_value=datetime.now() + timedelta(minutes=minutes),
    )


@pytest.fixture
def link(send, owner, mailoutbox):
    _request_link(send, owner.email.upper())
    return email_button_link(mailoutbox[0], "Buat Password Baru")


def test_the_email_carries_the_link_in_both_parts_and_says_60_minutes(
    send, owner, mailoutbox
):
    _request_link(send, owner.email)

    assert [m.to for m in mailoutbox] == [[owner.email]]
    message = mailoutbox[0]
    assert message.subject == "Atur ulang password Web Open API"
    assert "60 menit" in message.body
    assert email_button_link(message, "Buat Password Baru").startswith("/akun/reset/")


def test_an_unknown_email_gets_the_same_answer_and_no_email(send, owner, mailoutbox):
    known = _request_link(send, owner.email)
    unknown = _request_link(send, "tidak-ada@mitra.test")

    assert known.redirect_chain == unknown.redirect_chain
    assert known.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert "Jika email tersebut terdaftar" in unknown.content.decode()
    assert len(mailoutbox) == 1


def test_the_link_sets_a_new_password(link, owner, password):
    done = _set_password(link)

    assert done.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert not owner.check_password(password)


def test_the_new_password_follows_the_password_rules(link, owner, password):
    page = _set_password(link, password="password")

    assert "Password ini terlalu umum." in page.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(password)


def test_the_link_works_only_once(link, owner):
    _set_password(link)

    again = _set_password(link, password="password-kedua-yang-baru")

    assert "Link tidak valid" in again.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_the_link_still_works_after_59_minutes(link, owner):
    with _later(59):
        _set_password(link)

    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_the_link_expires_after_60_minutes(link, owner, password):
    with _later(61):
        page = _set_password(link)

    assert "Link tidak valid" in page.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(password)


def test_a_reset_ends_every_other_session_of_the_user(
    send, owner, password, mailoutbox
):
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post(
            reverse("accounts:login"), {"identifier": owner.phone, "password": password}
        )
        assert browser.get(reverse("portal:dashboard")).status_code == 200

    _request_link(send, owner.email)
    done = _set_password(email_button_link(mailoutbox[0], "Buat Password Baru"))
    assert done.redirect_chain[-1][0] == reverse("accounts:password_reset_complete")

    for browser in (laptop, phone):
        response = browser.get(reverse("portal:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert SESSION_KEY not in browser.session


def test_a_reset_lifts_the_login_lock(link, owner, password):
    for _ in range(5):
        Client().post(
            reverse("accounts:login"), {"identifier": owner.phone, "password": "salah"}
        )
    locked = Client().post(
        reverse("accounts:login"), {"identifier": owner.phone, "password": password}
    )
    assert locked.status_code == 200

    _set_password(link)

    response = Client().post(
        reverse("accounts:login"), {"identifier": owner.phone, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
