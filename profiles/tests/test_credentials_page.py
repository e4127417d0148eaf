"""The Kredensial menu: each set without its password, and Ganti Password."""

import pytest

from accounts.tests.factories import UserFactory
from portal.lib.access import Level, Menu
from portal.models import AuditEvent, EmailOutbox
from profiles import selectors
from profiles.models import Credential

PAGE = "/profil/kredensial/"


@pytest.fixture
def production(approved_owner):
    return Credential.objects.get(
        partner=approved_owner.partner, environment="production"
    )


def test_page_lists_each_set_without_a_password(client, approved_owner, production):
    client.force_login(approved_owner)
    page = client.get(PAGE).content.decode()
    code = approved_owner.partner.code.lower()
    for text in (
        "Webreport (Production)",
        "Transaksi (Production)",
        "Transaksi (Development)",
        f"{code}.report",
        f"{code}.prod",
        f"{code}.dev",
        production.merchant_id,
        production.account_id,
        "Ganti Password",
    ):
        assert text in page
    assert production.ha1 not in page


def test_before_approval_the_page_says_credentials_come_later(client, new_owner):
    client.force_login(new_owner)
    page = client.get(PAGE).content.decode()
    assert "setelah data profil disetujui" in page


def test_rotation_shows_the_new_password_once_and_the_old_stops_working(
    db,
    mailoutbox,
    client,
    approved_owner,
    production,
    django_capture_on_commit_callbacks,
):
    client.force_login(approved_owner)
    old_ha1 = production.ha1
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{PAGE}{production.pk}/ganti-password/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "hanya ditampilkan sekali" in page
    production.refresh_from_db()
    assert production.ha1 != old_ha1 and production.rotated_at is not None
    password = page.split('user-select-all">')[1].split("<")[0]
    assert selectors.credential_check_password(production, password)
    assert password not in client.get(PAGE).content.decode()
    event = AuditEvent.objects.get(action="credential.rotated")
    assert event.actor == approved_owner
    assert password not in str(event.after)
    (email,) = mailoutbox
    assert email.subject == "Password Transaksi (Production) telah diganti"
    assert password not in email.body
    assert not EmailOutbox.objects.filter(body_text__contains=password).exists()


def test_webreport_password_can_be_rotated(client, approved_owner):
    client.force_login(approved_owner)
    response = client.post(f"{PAGE}webreport/ganti-password/")
    password = response.content.decode().split('user-select-all">')[1].split("<")[0]
    client.logout()
    username = f"{approved_owner.partner.code.lower()}.report"
    response = client.post(
        "/akun/login/", {"identifier": username, "password": password}
    )
    assert response.status_code == 302


def test_rotation_needs_post(client, approved_owner, production):
    client.force_login(approved_owner)
    assert client.get(f"{PAGE}{production.pk}/ganti-password/").status_code == 405


def test_a_viewer_sees_but_cannot_rotate(client, approved_owner, production):
    viewer = UserFactory(
        partner=approved_owner.partner,
        is_owner=False,
        access_rights={Menu.KREDENSIAL: Level.VIEW},
    )
    client.force_login(viewer)
    page = client.get(PAGE).content.decode()
    assert production.username in page
    assert "Ganti Password" not in page
    old = production.ha1
    assert client.post(f"{PAGE}{production.pk}/ganti-password/").status_code == 403
    production.refresh_from_db()
    assert production.ha1 == old


def test_sub_user_without_kredensial_right_is_refused(client, sub_user):
    client.force_login(sub_user)
    assert client.get(PAGE).status_code == 403


def test_outsider_cannot_rotate_another_partners_credential(
    client, outsider, production
):
    client.force_login(outsider)
    old = production.ha1
    assert client.post(f"{PAGE}{production.pk}/ganti-password/").status_code == 404
    production.refresh_from_db()
    assert production.ha1 == old
    assert production.username not in client.get(PAGE).content.decode()
