import pytest


@pytest.fixture(autouse=True)
def _quick_password_hashes(settings):
    """New passwords hashed cheaply; the production hasher still checks existing hashes."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
