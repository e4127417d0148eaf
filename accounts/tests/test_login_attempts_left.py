"""A failed login says how many attempts are left once few remain before the lock, the same
for an account that exists and one that does not."""

import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Nomor handphone/username atau password salah."


def _errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


@pytest.fixture
def member(db):
    return UserFactory(phone="+6281234567890")


def test_the_first_failure_says_only_that_the_login_is_wrong(login, clock, member):
    message = _errors(login("081234567890", "salah"))

    assert message == WRONG


def test_from_three_attempts_left_each_failure_counts_down_to_the_lock(
    login, clock, member
):
    messages = [_errors(login("081234567890", "salah")) for _ in range(4)]

    assert "Sisa percobaan" not in messages[0]
    assert "Sisa percobaan: 3." in messages[1]
    assert "Sisa percobaan: 2." in messages[2]
    assert "Sisa percobaan: 1." in messages[3]
    assert "dikunci sementara selama 15 menit" in messages[3]
    assert "Lupa Password" in messages[3]
    assert all(message.startswith(WRONG) for message in messages)


def test_an_unknown_account_counts_down_the_same_way(login, clock, member):
    unknown = [_errors(login("081299999999", "salah")) for _ in range(4)]
    known = [_errors(login("081234567890", "salah")) for _ in range(4)]

    assert unknown == known
