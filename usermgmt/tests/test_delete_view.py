"""Hapus (Gambar 57–59): POST only after Ya; the user is hidden, inactive, kept for the audit
trail, and its sessions end at once."""

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portal.models import AuditEvent
from usermgmt.models import SubUser
from usermgmt.tests.conftest import user_data
from usermgmt.tests.factories import SubUserFactory, TwoFactorFactory


def test_the_list_asks_for_confirmation(owner_client, partner):
    user = SubUserFactory(partner=partner)

    content = owner_client.get(reverse("usermgmt:list")).content.decode()

    assert f'action="{reverse("usermgmt:delete", args=[user.pk])}"' in content
    assert f"Yakin hapus user {user.username}?" in content
    assert 'id="confirmModal"' in content


def test_get_does_not_delete(owner_client, partner):
    user = SubUserFactory(partner=partner)

    response = owner_client.get(reverse("usermgmt:delete", args=[user.pk]))

    assert response.status_code == 405
    user.refresh_from_db()
    assert user.is_active
    assert not SubUser.objects.get(user=user).is_deleted


def test_post_deletes_and_says_proses_berhasil(owner_client, owner, partner):
    user = SubUserFactory(partner=partner, phone="+6281322223333")
    TwoFactorFactory(user=user)

    response = owner_client.post(
        reverse("usermgmt:delete", args=[user.pk]), follow=True
    )

    content = response.content.decode()
    assert "Proses Berhasil" in content
    assert user.username not in content
    user.refresh_from_db()
    assert not user.is_active
    assert not user.has_usable_password()
    assert not hasattr(user, "two_factor")
    record = SubUser.objects.get(user=user)
    assert record.deleted_by == owner
    assert record.deleted_phone == "+6281322223333"
    event = AuditEvent.objects.get(action="usermgmt.user_deleted")
    assert event.subject_id == str(user.pk)
    assert event.before["phone"] == "+6281322223333"


def test_the_deleted_users_session_is_refused_at_once(owner_client, partner):
    user = SubUserFactory(partner=partner)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("billing:transactions")).status_code == 200

    owner_client.post(reverse("usermgmt:delete", args=[user.pk]))

    response = client.get(reverse("billing:transactions"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert response.wsgi_request.user.is_anonymous


def test_the_deleted_user_cannot_log_in(owner_client, partner, password):
    user = SubUserFactory(partner=partner)
    client = Client()
    owner_client.post(reverse("usermgmt:delete", args=[user.pk]))

    response = client.post(
        reverse("accounts:login"), {"identifier": user.username, "password": password}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_email_and_phone_are_free_again_but_not_the_username(owner_client, partner):
    user = SubUserFactory(
        partner=partner, email="siti.rahayu@majujaya.test", phone="+6281311112222"
    )
    owner_client.post(reverse("usermgmt:delete", args=[user.pk]))

    response = owner_client.post(reverse("usermgmt:add"), user_data())

    assert response.status_code == 302
    again = User.objects.get(email="siti.rahayu@majujaya.test")
    assert again.pk != user.pk
    assert again.username != user.username


def test_a_deleted_user_is_a_404_afterwards(owner_client, partner):
    user = SubUserFactory(partner=partner)
    owner_client.post(reverse("usermgmt:delete", args=[user.pk]))

    assert owner_client.get(reverse("usermgmt:edit", args=[user.pk])).status_code == 404
    assert (
        owner_client.post(reverse("usermgmt:delete", args=[user.pk])).status_code == 404
    )
