"""Tambah Data (Gambar 51–53): the form, Simpan, Batal, and what a saved user looks like."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from portal.models import AuditEvent
from usermgmt.models import SubUser
from usermgmt.rights import ROLES
from usermgmt.tests.conftest import NEW_PASSWORD, user_data

ADD_URL = reverse("usermgmt:add")


def test_the_form_shows_the_username_the_system_will_give(owner_client, partner):
    content = owner_client.get(ADD_URL).content.decode()

    assert f"{partner.code.lower()}.1" in content
    assert 'name="username"' in content and "disabled" in content
    assert "Hak Akses Akun" in content
    assert reverse("usermgmt:list") in content  # Batal


def test_simpan_creates_the_user_and_says_data_berhasil_disimpan(
    owner_client, owner, partner, send
):
    response = send(owner_client.post, ADD_URL, user_data(), follow=True)

    assert "Data Berhasil Disimpan" in response.content.decode()
    user = User.objects.get(email="siti.rahayu@majujaya.test")
    assert user.username == f"{partner.code.lower()}.1"
    assert user.partner == partner
    assert user.phone == "+6281311112222"
    assert not user.is_owner and not user.is_staff and not user.is_superuser
    assert user.access_rights == ROLES["keuangan"][1]
    assert user.is_verified and user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert SubUser.objects.get(user=user).created_by == owner
    assert user.username in response.content.decode()  # shown in the list


def test_the_new_user_logs_in_with_username_or_phone(owner_client, client, send):
    send(owner_client.post, ADD_URL, user_data())
    user = User.objects.get(email="siti.rahayu@majujaya.test")
    owner_client.logout()

    for identifier in (user.username, "081311112222"):
        client.logout()
        response = client.post(
            reverse("accounts:login"),
            {"identifier": identifier, "password": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(user.pk)


def test_the_new_user_is_emailed_its_username(owner, owner_client, send, mailoutbox):
    send(owner_client.post, ADD_URL, user_data())

    user = User.objects.get(email="siti.rahayu@majujaya.test")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [user.email]
    assert user.username in message.body
    html = message.alternatives[0][0]
    assert user.username in html
    assert NEW_PASSWORD not in message.body and NEW_PASSWORD not in html


def test_creation_is_audited_without_the_password(owner, owner_client, send):
    send(owner_client.post, ADD_URL, user_data())

    event = AuditEvent.objects.get(action="usermgmt.user_created")
    assert event.actor == owner
    assert event.partner == owner.partner
    assert event.after["email"] == "siti.rahayu@majujaya.test"
    assert "password" not in event.after


def test_an_invalid_form_keeps_what_was_typed_and_saves_nothing(owner_client):
    count = User.objects.count()

    response = owner_client.post(ADD_URL, user_data(email="bukan-email"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Siti Rahayu"' in content
    assert 'value="0813-1111-2222"' in content
    assert User.objects.count() == count
    assert not SubUser.objects.exists()
