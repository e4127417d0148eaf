"""A phone number or email that is already registered is not revealed to whoever types it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Partner, User
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import REGISTRATION

pytestmark = pytest.mark.django_db


def _page(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf token>", html)


def _register(send, client, **changes):
    return send(client.post, reverse("accounts:register"), {**REGISTRATION, **changes})


@pytest.mark.parametrize(
    "taken",
    [
        {"phone": "+62 812-1111-2222"},
        {"email": "PEMILIK@lama.test"},
        {"phone": "0812 1111 2222", "email": "pemilik@lama.test"},
    ],
)
def test_a_duplicate_gets_the_same_answer_as_a_success_and_creates_nothing(
    send, mailoutbox, taken
):
    existing = UserFactory(phone="+6281211112222", email="pemilik@lama.test")
    partners_before = Partner.objects.count()
    newcomer, stranger = Client(), Client()

    fresh = _register(send, newcomer, phone="0813 9999 8888", email="baru@mitra.test")
    typed = {"phone": "0813 7777 6666", "email": "lain@mitra.test", **taken}
    duplicate = _register(send, stranger, **typed)

    assert duplicate.status_code == fresh.status_code == 302
    assert duplicate["Location"] == fresh["Location"]
    # Both land on the page that says an activation email went to the typed address.
    fresh_page = _page(newcomer, fresh["Location"]).replace(
        "baru@mitra.test", typed["email"].lower()
    )
    assert _page(stranger, duplicate["Location"]) == fresh_page
    assert Partner.objects.count() == partners_before + 1
    assert User.objects.count() == 2
    existing.refresh_from_db()
    assert existing.check_password("Rahasia-Mitra-2026")


def test_the_owner_of_the_taken_account_is_told_that_someone_tried(send, mailoutbox):
    existing = UserFactory(phone="+6281211112222", email="pemilik@lama.test")

    _register(send, Client(), phone="0812-1111-2222", email="orang@lain.test")

    assert [m.to for m in mailoutbox] == [["pemilik@lama.test"]]
    message = mailoutbox[0]
    assert "Percobaan pendaftaran" in message.subject
    assert "mencoba mendaftar" in message.body
    assert "mencoba mendaftar" in message.alternatives[0][0]
    assert reverse("accounts:login") in message.body
    assert existing.emails.filter(template="registration_attempt").exists()


def test_a_phone_and_an_email_of_two_different_accounts_warn_both_owners(
    send, mailoutbox
):
    UserFactory(phone="+6281211112222", email="satu@lama.test")
    UserFactory(phone="+6281233334444", email="dua@lama.test")

    _register(send, Client(), phone="081211112222", email="dua@lama.test")

    assert sorted(m.to[0] for m in mailoutbox) == ["dua@lama.test", "satu@lama.test"]
    assert User.objects.count() == 2
