"""Phone numbers in every form a person writes them, stored as +628…; emails lower-cased."""

import pytest

from accounts.models import User
from accounts.tests.helpers import field_block

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812 3456 7890",
        "0812-3456-7890",
        "6281234567890",
        "62 812-3456-7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        " +62 812 - 3456 - 7890 ",
    ],
)
def test_a_mobile_number_is_accepted_in_any_usual_form_and_stored_as_plus_628(
    register, typed
):
    response = register(phone=typed)

    assert response.status_code == 302
    assert User.objects.get().phone == "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "021-555-1234",  # Jakarta landline
        "+62 21 555 1234",
        "+1 202 555 0143",  # not Indonesian
        "+44 7700 900123",
        "0812",  # too short
        "0812 3456 7890 1234",  # too long
        "0812-3456-789O",  # a letter O
        "0812３４５６７８９０",  # full-width digits
        "telepon saya",
    ],
)
def test_a_number_that_is_not_an_indonesian_mobile_is_refused_saying_so(
    register, typed
):
    response = register(phone=typed)

    assert response.status_code == 200
    block = field_block(response.content.decode(), "phone")
    assert "Nomor handphone harus nomor seluler Indonesia" in block
    assert not User.objects.exists()


def test_the_email_is_stored_lower_cased(register):
    register(email="  Budi.Santoso@MajuJaya.TEST ")

    assert User.objects.get().email == "budi.santoso@majujaya.test"
