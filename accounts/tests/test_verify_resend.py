"""Kirim Ulang on the verification page: the first at once, then once a minute, five
activation emails an hour."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import REGISTRATION
from portal.models import EmailOutbox

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:verify_email")


def _resend(send, client):
    """Press Kirim Ulang and return the message the page then shows."""
    page = send(client.post, VERIFY, follow=True).content.decode()
    found = re.search(
        r'<div class="alert alert-(\w+)[^>]*>\s*(.*?)\s*<button', page, re.S
    )
    assert found, "no message after Kirim Ulang"
    return found.group(1), " ".join(found.group(2).split())


def _wib(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def _activation_emails():
    return EmailOutbox.objects.filter(template="activation").count()


def test_the_first_kirim_ulang_right_after_registering_sends_and_says_when_next(
    register, client, send, clock, mailoutbox
):
    register()

    clock.advance(seconds=20)
    level, message = _resend(send, client)

    assert level == "success"
    expected = _wib(clock.now + timezone.timedelta(minutes=1))
    assert message == (
        "Email aktivasi telah dikirim ulang ke budi@majujaya.test. Periksa juga folder "
        "spam; bila belum diterima, Kirim Ulang dapat digunakan lagi pukul "
        f"{expected} WIB."
    )
    assert _activation_emails() == 2
    assert len(mailoutbox) == 2


def test_a_second_kirim_ulang_within_the_minute_says_when_it_can_be_used_again(
    register, client, send, clock, mailoutbox
):
    register()
    clock.advance(seconds=20)
    resent_at = clock.now
    _resend(send, client)

    clock.advance(seconds=20)
    level, message = _resend(send, client)

    assert level == "warning"
    expected = _wib(resent_at + timezone.timedelta(minutes=1))
    assert message == f"Kirim Ulang dapat digunakan lagi pukul {expected} WIB."
    assert _activation_emails() == 2
    assert len(mailoutbox) == 2


def test_kirim_ulang_sends_a_new_activation_email_once_the_minute_has_passed(
    register, client, send, clock, mailoutbox
):
    register()

    clock.advance(minutes=1, seconds=1)
    level, message = _resend(send, client)

    assert level == "success"
    assert message.startswith(
        "Email aktivasi telah dikirim ulang ke budi@majujaya.test."
    )
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["budi@majujaya.test"]
    assert "/akun/aktivasi/" in mailoutbox[1].body


def test_no_more_than_five_activation_emails_go_to_an_account_in_an_hour(
    register, client, send, clock
):
    registered_at = clock.now
    register()  # the first of the five
    for _ in range(4):
        clock.advance(minutes=2)
        assert _resend(send, client)[0] == "success"
    assert _activation_emails() == 5

    clock.advance(minutes=2)
    level, message = _resend(send, client)

    assert level == "warning"
    expected = _wib(registered_at + timezone.timedelta(hours=1))
    assert message == f"Kirim Ulang dapat digunakan lagi pukul {expected} WIB."
    assert _activation_emails() == 5

    clock.now = registered_at + timezone.timedelta(hours=1, seconds=1)
    assert _resend(send, client)[0] == "success"
    assert _activation_emails() == 6


def test_the_limit_belongs_to_the_account_not_to_the_browser(
    register, client, send, clock
):
    register()
    clock.advance(minutes=5)
    other_browser = Client()

    # Someone else asks for the same address from another browser: it counts as well.
    send(other_browser.post, VERIFY, {"email": "budi@majujaya.test"})
    assert _activation_emails() == 2

    clock.advance(seconds=10)
    level, message = _resend(send, client)
    assert level == "warning"
    assert "Kirim Ulang dapat digunakan lagi pukul" in message
    assert _activation_emails() == 2


def test_kirim_ulang_after_a_duplicate_answers_like_after_a_real_registration(
    db, send, clock
):
    UserFactory(email="pemilik@lama.test", phone="+6281211112222")
    newcomer, stranger = Client(), Client()
    send(
        newcomer.post,
        reverse("accounts:register"),
        {**REGISTRATION, "email": "baru@mitra.test", "phone": "081377776666"},
    )
    send(
        stranger.post,
        reverse("accounts:register"),
        {**REGISTRATION, "email": "pemilik@lama.test"},
    )

    for seconds in (10, 60, 10, 60):  # sent, sent, refused, sent
        clock.advance(seconds=seconds)
        fresh = _resend(send, newcomer)
        duplicate = _resend(send, stranger)
        assert duplicate[0] == fresh[0]
        assert duplicate[1] == fresh[1].replace("baru@mitra.test", "pemilik@lama.test")
    # The owner of the existing, active account gets no activation email from it.
    assert not EmailOutbox.objects.filter(
        to="pemilik@lama.test", template="activation"
    ).exists()


def test_kirim_ulang_for_an_address_typed_on_the_page_never_tells_whether_it_exists(
    send, clock
):
    UserFactory(email="belum@aktif.test", email_verified_at=None)
    answers, start = {}, clock.now
    for email in ("belum@aktif.test", "tidak@ada.test"):
        clock.now = start
        visitor = Client()
        send(visitor.post, VERIFY, {"email": email})
        first = _resend(send, visitor)
        clock.advance(seconds=5)
        second = _resend(send, visitor)
        answers[email] = [m.replace(email, "<email>") for _, m in (first, second)]

    assert answers["belum@aktif.test"] == answers["tidak@ada.test"]
    assert "Kirim Ulang dapat digunakan lagi" in answers["tidak@ada.test"][1]


def test_the_verification_page_without_a_pending_address_asks_for_one(client):
    page = client.get(VERIFY).content.decode()

    assert 'name="email"' in page
    assert "Kirim Ulang" in page
