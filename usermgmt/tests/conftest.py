"""Fixtures of the Manajemen User tests: quick password hashes, emails sent on commit, the
form data a person would type, and a partner administrator."""

import pytest

from accounts.tests.factories import UserFactory
from usermgmt.rights import ROLES

NEW_PASSWORD = "Sandi-Keuangan-Baru-77"


@pytest.fixture(autouse=True)
def _quick_password_hashes(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Make a request (or any call) and send the emails it queued, as a commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def rights_data(rights: dict) -> dict:
    """The matrix fields of the form for ``rights`` (every menu posted, as a browser does)."""
    from portal.lib.access import Menu

    return {f"right_{menu.value}": rights.get(menu.value, "") for menu in Menu}


def user_data(role: str = "keuangan", **changes) -> dict:
    data = {
        "name": "Siti Rahayu",
        "email": "Siti.Rahayu@MajuJaya.test",
        "phone": "0813-1111-2222",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": role,
        **rights_data(ROLES[role][1] if role in ROLES else {}),
    }
    data.update(changes)
    return data


@pytest.fixture
def administrator(owner):
    """A sub-user holding the Administrator role."""
    return UserFactory(
        partner=owner.partner,
        is_owner=False,
        access_rights=dict(ROLES["administrator"][1]),
    )
