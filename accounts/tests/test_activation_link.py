"""Only a fresh activation link, made for this purpose and this address, activates."""

import time
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.tokens import SALT, _email_digest, activation_token_make

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


@pytest.fixture
def unverified(db):
    return UserFactory(email="baru@mitra.test", email_verified_at=None)


def _link(token: str) -> str:
    return reverse("accounts:activate", args=[token])


def _token_made_ago(user, seconds: int) -> str:
    made_at = time.time() - seconds
    with mock.patch("django.core.signing.time.time", return_value=made_at):
        return activation_token_make(user)


def _activated(user) -> bool:
    user.refresh_from_db()
    return user.is_verified


def test_a_link_made_almost_24_hours_ago_still_works(client, unverified):
    page = client.post(_link(_token_made_ago(unverified, DAY - 60)))

    assert "Aktivasi Berhasil" in page.content.decode()
    assert _activated(unverified)


def test_a_link_older_than_24_hours_has_expired_and_says_so(client, unverified):
    page = client.get(_link(_token_made_ago(unverified, DAY + 1))).content.decode()

    assert "Link aktivasi sudah kedaluwarsa" in page
    assert "hanya berlaku 24 jam" in page
    assert "Kirim Email Aktivasi Baru" in page
    assert 'name="email"' in page
    assert not _activated(unverified)


def test_a_link_stops_working_once_the_email_address_changes(client, unverified):
    token = activation_token_make(unverified)
    unverified.email = "alamat-lain@mitra.test"
    unverified.save()

    page = client.post(_link(token)).content.decode()

    assert "Link aktivasi tidak valid" in page
    assert not _activated(unverified)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda user: default_token_generator.make_token(user), id="password-reset"
        ),
        pytest.param(
            lambda user: signing.dumps({"u": user.pk, "e": _email_digest(user.email)}),
            id="signed-without-the-activation-salt",
        ),
        pytest.param(
            lambda user: signing.dumps(
                {"u": user.pk, "e": _email_digest(user.email)},
                salt="django.core.signing.TimestampSigner",
            ),
            id="signed-with-another-salt",
        ),
        pytest.param(
            lambda user: signing.dumps({"u": user.pk}, salt=SALT), id="no-email-digest"
        ),
        pytest.param(lambda user: signing.dumps([user.pk], salt=SALT), id="not-a-dict"),
        pytest.param(
            lambda user: activation_token_make(user)[:-2] + "xx", id="tampered"
        ),
        pytest.param(lambda user: "garbage", id="garbage"),
        pytest.param(lambda user: "a" * 500, id="very-long"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_any_other_token_does_not_activate(client, unverified, forge, method):
    page = getattr(client, method)(_link(forge(unverified)))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Aktivasi Berhasil" not in html
    assert "Link aktivasi tidak valid" in html
    assert "Kirim Email Aktivasi Baru" in html
    assert not _activated(unverified)


def test_a_link_of_another_user_does_not_activate_this_one(client, unverified):
    other = UserFactory(email_verified_at=None)
    forged = signing.dumps(
        {"u": other.pk, "e": _email_digest(unverified.email)}, salt=SALT
    )

    html = client.post(_link(forged)).content.decode()

    assert "Link aktivasi tidak valid" in html
    assert not _activated(other)
    assert not _activated(unverified)


def test_the_failed_link_page_sends_a_new_activation_email_on_request(
    send, unverified, mailoutbox
):
    client = Client()
    expired = _link(_token_made_ago(unverified, DAY + 1))

    response = send(client.post, expired, {"email": "BARU@mitra.test"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert [m.to for m in mailoutbox] == [["baru@mitra.test"]]
    assert mailoutbox[0].subject == "Aktivasi Akun Web Open API"
    assert not _activated(unverified)


def test_asking_for_a_new_email_never_tells_whether_the_address_is_registered(
    send, unverified, mailoutbox
):
    answers = []
    for email in ("baru@mitra.test", "tidak-terdaftar@mitra.test"):
        response = send(Client().post, _link("garbage"), {"email": email}, follow=True)
        answers.append((response.redirect_chain, _alerts(response)))

    assert answers[0] == answers[1]
    assert "Jika email tersebut terdaftar" in answers[0][1][0]
    assert len(mailoutbox) == 1


def test_a_used_link_explains_that_the_account_is_already_active(client, unverified):
    link = _link(activation_token_make(unverified))
    client.post(link)

    html = Client().get(link).content.decode()

    assert "Link aktivasi sudah digunakan" in html
    assert "Akun ini sudah aktif. Silakan login." in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_opening_the_link_only_shows_the_aktivasi_akun_button(client, unverified):
    """Link scanners of mail systems open links with GET: that activates nobody."""
    page = client.get(_link(activation_token_make(unverified)))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Aktivasi Berhasil" not in html
    assert "baru@mitra.test" in html
    assert '<form method="post">' in html
    assert "csrfmiddlewaretoken" in html
    assert not _activated(unverified)


def test_opening_the_link_again_and_again_still_activates_nobody(client, unverified):
    link = _link(activation_token_make(unverified))
    for _ in range(3):
        client.get(link)
        client.head(link)

    assert not _activated(unverified)
    assert "Aktivasi Berhasil" in client.post(link).content.decode()
    assert _activated(unverified)


def test_the_button_needs_the_page_csrf_token(unverified):
    browser = Client(enforce_csrf_checks=True)
    link = _link(activation_token_make(unverified))

    forged = browser.post(link)
    assert forged.status_code == 403
    assert not _activated(unverified)

    token = browser.get(link).context["csrf_token"]
    page = browser.post(link, {"csrfmiddlewaretoken": token})
    assert "Aktivasi Berhasil" in page.content.decode()
    assert _activated(unverified)


def test_a_link_used_in_another_tab_after_the_page_opened_says_so(client, unverified):
    link = _link(activation_token_make(unverified))
    client.get(link)
    Client().post(link)

    html = client.post(link).content.decode()

    assert "Link aktivasi sudah digunakan" in html
    assert "Aktivasi Berhasil" not in html


def _alerts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
