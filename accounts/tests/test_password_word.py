"""One word for one thing: the manual says "Password", so no page says "Sandi", not even
Django's own forms and validators (whose Indonesian catalogue says "kata sandi")."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

WEAK = "12345678"  # common, numeric and, for a short minimum, long enough


def _no_sandi(html: str) -> None:
    assert "sandi" not in html.lower()


def test_ubah_password_says_password_in_labels_help_and_errors(owner_client):
    url = reverse("accounts:password_change")
    _no_sandi(owner_client.get(url).content.decode())

    html = owner_client.post(
        url,
        {"old_password": "salah", "new_password1": WEAK, "new_password2": "lain"},
    ).content.decode()

    assert "Password Lama" in html
    assert "Password Baru" in html
    assert "Password lama salah. Silakan masukkan lagi." in html
    assert "Konfirmasi password tidak sama dengan password baru." in html
    _no_sandi(html)


def test_the_reset_link_page_says_password_in_labels_help_and_errors(client, owner):
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
            "token": default_token_generator.make_token(owner),
        },
    )
    form_page = client.get(link, follow=True)
    _no_sandi(form_page.content.decode())
    assert "Password minimal 8 karakter." in form_page.content.decode()

    html = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": WEAK, "new_password2": WEAK},
    ).content.decode()

    assert "Password ini terlalu umum." in html
    assert "Password tidak boleh hanya berisi angka." in html
    _no_sandi(html)


def test_a_too_short_password_is_refused_in_the_manuals_word(owner_client):
    html = owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": "Kp-9x", "new_password2": "Kp-9x"},
    ).content.decode()

    assert "Password terlalu pendek. Minimal 8 karakter." in html
    _no_sandi(html)


def test_the_sub_user_form_says_password(owner_client):
    html = owner_client.post(
        reverse("usermgmt:add"), {"password1": WEAK, "password2": WEAK}
    ).content.decode()

    assert "Password ini terlalu umum." in html
    _no_sandi(html)
