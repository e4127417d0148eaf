"""The registration form: its fields, their messages in Bahasa Indonesia, what it keeps."""

import re

import pytest
from django.urls import reverse

from accounts.models import Partner, User
from accounts.tests.helpers import REGISTRATION, field_block
from portal.models import EmailOutbox

pytestmark = pytest.mark.django_db

REQUIRED = "Bidang ini tidak boleh kosong."


def test_the_registration_page_asks_every_field_of_the_manual(client):
    html = client.get(reverse("accounts:register")).content.decode()

    for label in (
        "Nama Lengkap",
        "Jenis Mitra",
        "Pribadi",
        "Perusahaan",
        "Nama Perusahaan",
        "Nomor Handphone",
        "Email",
        "Konfirmasi Password",
        "Daftar",
    ):
        assert label in html
    for name in ("name", "kind", "company_name", "phone", "email"):
        assert f'name="{name}"' in html
    assert html.count('type="password"') == 2
    # The manual's word, not "Sandi" from Django's own Indonesian catalogue.
    assert _label(html, "password1") == "Password"
    assert _label(html, "password2") == "Konfirmasi Password"


def _label(html: str, name: str) -> str:
    found = re.search(rf'<label\s+for="id_{name}"[^>]*>\s*([^<]*?)\s*<', html)
    assert found, name
    return found.group(1)


def test_an_empty_form_says_next_to_each_field_that_it_is_required(client):
    response = client.post(reverse("accounts:register"), {})

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("name", "kind", "phone", "email", "password1", "password2"):
        assert REQUIRED in field_block(html, name), name
    assert not User.objects.exists()


def test_each_invalid_field_gets_its_own_message_and_the_form_keeps_what_was_typed(
    client,
):
    typed = {
        "name": "B",
        "kind": "perusahaan",
        "company_name": "",
        "phone": "021-555-1234",
        "email": "budi@",
        "password1": "Sembarang-Saja-99",
        "password2": "Sembarang-Saja-98",
    }

    response = client.post(reverse("accounts:register"), typed)

    html = response.content.decode()
    messages = {
        "name": "Nama lengkap minimal 2 huruf.",
        "company_name": "Nama perusahaan wajib diisi untuk jenis mitra Perusahaan.",
        "phone": "Nomor handphone harus nomor seluler Indonesia",
        "email": "Masukkan alamat email yang valid.",
        "password2": "Konfirmasi password tidak sama dengan password.",
    }
    for name, message in messages.items():
        block = field_block(html, name)
        assert message in block, name
        assert "is-invalid" in block, name
    assert 'value="B"' in field_block(html, "name")
    assert 'value="021-555-1234"' in field_block(html, "phone")
    assert 'value="budi@"' in field_block(html, "email")
    assert 'value="perusahaan"' in field_block(html, "kind")
    assert "checked" in field_block(html, "kind").split('value="perusahaan"')[1][:40]
    assert not Partner.objects.exists()
    assert not User.objects.exists()
    assert not EmailOutbox.objects.exists()


def test_an_unknown_kind_of_partner_is_refused(client):
    response = client.post(
        reverse("accounts:register"), {**REGISTRATION, "kind": "koperasi"}
    )

    assert "Masukkan pilihan yang valid" in field_block(
        response.content.decode(), "kind"
    )
    assert not User.objects.exists()


def test_a_company_partner_is_named_after_its_company(register):
    response = register(kind="perusahaan", company_name="  PT   Maju  Jaya ")

    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.kind == Partner.Kind.PERUSAHAAN
    assert partner.name == "PT Maju Jaya"
    assert partner.status == Partner.Status.INCOMPLETE
    owner = partner.owner
    assert owner.name == "Budi Santoso"
    assert not owner.is_verified


def test_a_personal_partner_needs_no_company_name_and_is_named_after_the_person(
    register,
):
    response = register(kind="pribadi", company_name="")

    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.kind == Partner.Kind.PRIBADI
    assert partner.name == "Budi Santoso"


def test_registration_leads_to_the_verification_page_naming_the_address(
    register, client
):
    response = register()

    assert response["Location"] == reverse("accounts:verify_email")
    page = client.get(response["Location"]).content.decode()
    assert "budi@majujaya.test" in page
    assert "Kirim Ulang" in page


def test_a_logged_in_user_visiting_daftar_is_sent_to_a_page_it_may_open(
    client, sub_user
):
    client.force_login(sub_user)

    response = client.get(reverse("accounts:register"))

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
