"""The activation email carries the "Aktivasi Akun" link in both parts; it activates once."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.helpers import email_button_link

pytestmark = pytest.mark.django_db


def test_registration_sends_one_activation_email_to_the_typed_address(
    register, mailoutbox
):
    register(email="Budi@MajuJaya.test")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["budi@majujaya.test"]
    assert message.subject == "Aktivasi Akun Web Open API"
    assert "Halo Budi Santoso" in message.body
    assert "24 jam" in message.body


def test_both_parts_carry_the_aktivasi_akun_link(register, mailoutbox):
    register()

    path = email_button_link(mailoutbox[0], "Aktivasi Akun")

    assert path.startswith("/akun/aktivasi/")


def test_following_the_link_from_the_email_activates_the_account(
    register, client, mailoutbox
):
    register()
    path = email_button_link(mailoutbox[0], "Aktivasi Akun")

    opened = client.get(path).content.decode()
    assert "Aktivasi Berhasil" not in opened
    assert not User.objects.get().is_verified

    page = client.post(path)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Aktivasi Berhasil" in html
    assert User.objects.get().is_verified


def test_the_ok_of_aktivasi_berhasil_leads_to_login(register, client, mailoutbox):
    register()
    html = client.post(email_button_link(mailoutbox[0], "Aktivasi Akun")).content

    login_url = reverse("accounts:login")
    assert f'<a href="{login_url}" class="btn btn-primary px-5">OK</a>' in html.decode()
    assert client.get(login_url).status_code == 200


def test_the_link_works_only_once(register, client, mailoutbox):
    register()
    path = email_button_link(mailoutbox[0], "Aktivasi Akun")
    client.post(path)
    activated_at = User.objects.get().email_verified_at

    again = client.post(path).content.decode()

    assert "Aktivasi Berhasil" not in again
    assert "Link aktivasi sudah digunakan" in again
    assert User.objects.get().email_verified_at == activated_at


def test_a_resent_email_carries_a_working_link_too(
    register, client, send, clock, mailoutbox
):
    register()
    clock.advance(minutes=2)
    send(client.post, reverse("accounts:verify_email"))

    page = client.post(email_button_link(mailoutbox[1], "Aktivasi Akun"))

    assert "Aktivasi Berhasil" in page.content.decode()
