"""Registration passwords follow Django's validators and nothing more; long ones are welcome."""

import pytest

from accounts.models import User
from accounts.tests.helpers import field_block

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kp-9x", "Password terlalu pendek. Minimal 8 karakter."),
        ("password123", "Password ini terlalu umum."),
        ("budisantoso", "Password terlalu mirip dengan nama lengkap."),
        ("budi@majujaya.test", "Password terlalu mirip dengan email."),
        ("081234567890", "Password terlalu mirip dengan nomor handphone"),
        ("74920183650172", "Password tidak boleh hanya berisi angka."),
    ],
)
def test_a_weak_password_is_refused_with_the_validator_message(
    register, password, message
):
    response = register(password1=password, password2=password)

    assert response.status_code == 200
    block = field_block(response.content.decode(), "password1")
    assert message in block
    # The manual's word, not Django's Indonesian "kata sandi".
    assert "sandi" not in block.lower()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password",
    [
        "kopitubrukpagihari",  # lower-case letters only: no composition rules
        "senja di pelabuhan",
        "HURUFBESARSEMUA",
    ],
)
def test_a_password_needs_no_particular_mix_of_characters(register, password):
    response = register(password1=password, password2=password)

    assert response.status_code == 302
    assert User.objects.get().check_password(password)


@pytest.mark.parametrize("length", [64, 128])
def test_a_long_passphrase_is_accepted_and_works_for_login(register, login, length):
    passphrase = ("kereta malam ke surabaya berangkat pukul sembilan " * 3)[:length]
    assert len(passphrase) == length

    register(password1=passphrase, password2=passphrase)
    user = User.objects.get()
    user.email_verified_at = user.date_joined
    user.save()

    assert user.check_password(passphrase)
    assert login("081234567890", passphrase).status_code == 302
