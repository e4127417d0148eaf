"""The Kredensial page in English: the credential titles are labels and are translated; the
emails stay Indonesian whatever language the page was in."""

import re

import pytest
from django.conf import settings

from profiles.models import Credential

PAGE = "/profil/kredensial/"


def _titles(page: str) -> list[str]:
    return re.findall(r'<h2 class="h6 card-title">([^<]+)</h2>', page)


@pytest.fixture
def english_owner(client, approved_owner):
    client.force_login(approved_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return approved_owner


def test_the_credential_titles_are_in_english(client, english_owner):
    page = client.get(PAGE).content.decode()

    assert _titles(page) == [
        "Webreport (Production)",
        "Transaction (Production)",
        "Transaction (Development)",
    ]
    assert "Transaksi (" not in page


def test_the_credential_titles_stay_indonesian_by_default(client, approved_owner):
    client.force_login(approved_owner)

    titles = _titles(client.get(PAGE).content.decode())

    assert titles == [
        "Webreport (Production)",
        "Transaksi (Production)",
        "Transaksi (Development)",
    ]


def test_a_rotation_from_the_english_page_shows_the_english_title_and_mails_indonesian(
    client, english_owner, mailoutbox, django_capture_on_commit_callbacks
):
    production = Credential.objects.get(
        partner=english_owner.partner, environment="production"
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{PAGE}{production.pk}/ganti-password/")

    page = response.content.decode()
    assert "New Transaction (Production) password" in page
    (email,) = mailoutbox
    assert email.subject == "Password Transaksi (Production) telah diganti"
