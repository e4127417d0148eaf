"""Fixtures of the account tests: run queued emails, register like a visitor, stop the clock."""

import pytest
from django.urls import reverse

from accounts.tests.helpers import REGISTRATION, frozen_clock


@pytest.fixture(autouse=True)
def _quick_password_hashes(settings):
    """New passwords hashed cheaply; the production hasher still checks existing hashes."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Make a request (or any call) and then send the emails it queued, as a commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def register(db, client, send):
    """Post the registration form, with ``changes`` to the valid data a person would type."""

    def post(**changes):
        return send(
            client.post, reverse("accounts:register"), {**REGISTRATION, **changes}
        )

    return post


@pytest.fixture
def login(db, client):
    def post(identifier, password, *, next_url=None, **extra):
        data = {"identifier": identifier, "password": password}
        if next_url is not None:
            data["next"] = next_url
        return client.post(reverse("accounts:login"), data, **extra)

    return post


@pytest.fixture
def clock():
    """``timezone.now`` held still; ``clock.advance(minutes=1)`` moves it."""
    with frozen_clock() as clock:
        yield clock
