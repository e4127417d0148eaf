"""After Daftar, the page says what to do when no activation email arrives, in the same words
whether or not the phone number was already taken."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import REGISTRATION

pytestmark = pytest.mark.django_db

HELP = "Masih belum ada email setelah beberapa menit?"


def _verify_page(send, **changes) -> str:
    client = Client()
    response = send(
        client.post, reverse("accounts:register"), {**REGISTRATION, **changes}
    )
    html = client.get(response["Location"]).content.decode()
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf token>", html)


def _help_text(html: str) -> str:
    paragraph = re.search(r'<p [^>]*id="tidak-ada-email">(.*?)</p>', html, re.S)
    assert paragraph is not None
    return " ".join(paragraph.group(1).split())


def test_a_taken_phone_number_gets_the_page_that_says_what_to_do(send, mailoutbox):
    UserFactory(phone="+6281211112222", email="pemilik@lama.test")

    html = _verify_page(send, phone="0812-1111-2222", email="typist@mitra.test")

    text = _help_text(html)
    assert HELP in text
    assert "sudah pernah terdaftar" in text
    assert f'href="{reverse("accounts:login")}"' in text
    assert f'href="{reverse("accounts:password_reset")}">Lupa Password</a>' in text
    assert f'href="{reverse("accounts:register")}"' in text
    # Nothing went to the typist, and the page names no one else.
    assert all(m.to != ["typist@mitra.test"] for m in mailoutbox)
    assert "pemilik@lama.test" not in html
    assert "1111" not in html


def test_a_new_registration_gets_the_same_help(send):
    UserFactory(phone="+6281211112222", email="pemilik@lama.test")

    taken = _verify_page(send, phone="0812-1111-2222", email="satu@mitra.test")
    new = _verify_page(send, phone="0813-9999-8888", email="satu@mitra.test")

    assert _help_text(taken) == _help_text(new)
    assert taken == new
