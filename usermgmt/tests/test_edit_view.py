"""Edit (Gambar 55–56): change data, rights and status; the password only when typed."""

from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent
from usermgmt.tests.conftest import NEW_PASSWORD, rights_data, user_data
from usermgmt.tests.factories import SubUserFactory


def _edit(client, user, **changes):
    data = user_data(**{"password1": "", "password2": "", "is_active": "1", **changes})
    return client.post(reverse("usermgmt:edit", args=[user.pk]), data, follow=True)


def test_the_form_is_filled_with_the_users_data(owner_client, partner):
    user = SubUserFactory(partner=partner)

    response = owner_client.get(reverse("usermgmt:edit", args=[user.pk]))

    content = response.content.decode()
    assert user.username in content and user.email in content
    form = response.context["form"]
    assert form["right_transaksi"].value() == "view"
    assert form["right_produk"].value() == ""
    assert form["role"].value() == "laporan"


def test_simpan_saves_data_rights_and_says_so(owner_client, owner, partner, password):
    user = SubUserFactory(partner=partner)

    response = _edit(
        owner_client, user, role="teknis", **rights_data({"produk": "change"})
    )

    assert "Data Berhasil Disimpan" in response.content.decode()
    user.refresh_from_db()
    assert user.name == "Siti Rahayu"
    assert user.email == "siti.rahayu@majujaya.test"
    assert user.phone == "+6281311112222"
    assert user.access_rights == {"produk": "change"}
    assert user.check_password(password)  # unchanged: left empty
    event = AuditEvent.objects.get(action="usermgmt.user_updated")
    assert event.before["access_rights"] == {"dashboard": "view", "transaksi": "view"}
    assert event.after["access_rights"] == {"produk": "change"}
    assert event.actor == owner


def test_a_new_password_is_set_and_validated(owner_client, partner):
    user = SubUserFactory(partner=partner)

    weak = _edit(owner_client, user, password1="12345678", password2="12345678")
    assert weak.context["form"].errors["password1"]

    _edit(owner_client, user, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_keeping_its_own_email_and_phone_is_not_a_duplicate(owner_client, partner):
    user = SubUserFactory(partner=partner)

    response = _edit(owner_client, user, email=user.email, phone=user.phone)

    assert "Data Berhasil Disimpan" in response.content.decode()


def test_deactivating_ends_the_users_session_at_once(owner_client, partner):
    user = SubUserFactory(partner=partner)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 200

    _edit(owner_client, user, is_active="0")

    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert response.wsgi_request.user.is_anonymous


def test_a_deactivated_user_can_be_activated_again(owner_client, partner, password):
    user = SubUserFactory(partner=partner, is_active=False)

    _edit(owner_client, user, is_active="1")

    user.refresh_from_db()
    assert user.is_active
