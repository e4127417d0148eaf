"""The validation of each field of Tambah Data / Edit, with its message in Indonesian."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from usermgmt.tests.conftest import rights_data, user_data

ADD_URL = reverse("usermgmt:add")


def _errors(response, field):
    return list(response.context["form"].errors.get(field, []))


@pytest.fixture
def post(owner_client):
    def run(**changes):
        return owner_client.post(ADD_URL, user_data(**changes))

    return run


def test_name_is_required_and_needs_two_letters(post):
    assert _errors(post(name=""), "name") == ["Bidang ini tidak boleh kosong."]
    assert _errors(post(name=" a "), "name") == ["Nama minimal 2 huruf."]


def test_name_spaces_are_tidied(owner_client):
    owner_client.post(ADD_URL, user_data(name="  Siti   Rahayu "))

    assert User.objects.filter(name="Siti Rahayu").exists()


def test_email_must_be_an_email(post):
    assert _errors(post(email="siti@"), "email") == [
        "Masukkan alamat email yang valid."
    ]
    assert _errors(post(email=""), "email") == ["Bidang ini tidak boleh kosong."]


def test_email_already_used_anywhere_is_refused(post, outsider):
    outsider.email = "siti.rahayu@majujaya.test"
    outsider.save()

    assert _errors(post(), "email") == ["Email sudah digunakan."]


def test_phone_must_be_an_indonesian_mobile_number(post):
    for phone in ("12345", "021-555-1234", "+1 202 555 0100", ""):
        assert _errors(post(phone=phone), "phone"), phone


def test_phone_already_used_anywhere_is_refused(post, outsider):
    outsider.phone = "+6281311112222"
    outsider.save()

    assert _errors(post(phone="+62 813 1111 2222"), "phone") == [
        "Nomor telepon sudah digunakan."
    ]


def test_password_is_required_and_confirmed(post):
    response = post(password1="", password2="")
    assert _errors(response, "password1") == ["Bidang ini tidak boleh kosong."]

    response = post(password2="Sandi-Lain-Sekali-88")
    assert _errors(response, "password2") == [
        "Konfirmasi password tidak sama dengan password."
    ]


@pytest.mark.parametrize(
    "weak", ["pendek1", "12345678901", "password123", "siti.rahayu"]
)
def test_password_goes_through_django_validators(post, weak):
    assert _errors(post(password1=weak, password2=weak), "password1")


def test_at_least_one_right_is_needed(post):
    response = post(**rights_data({}), role="kustom")

    assert _errors(response, "role") == ["Pilih minimal satu hak akses."]


def test_an_unknown_level_is_refused(post):
    response = post(right_produk="admin")

    assert _errors(response, "right_produk")


def test_a_valid_form_saves_the_user(post, partner):
    response = post()

    assert response.status_code == 302
    assert User.objects.filter(partner=partner, is_owner=False).count() == 1


def test_the_same_email_in_other_letters_is_the_same_email(post, partner):
    UserFactory(partner=partner, is_owner=False, email="siti.rahayu@majujaya.test")

    assert _errors(post(email="SITI.RAHAYU@majujaya.TEST"), "email") == [
        "Email sudah digunakan."
    ]
