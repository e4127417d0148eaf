"""Keamanan Akun: turn two-factor login on with a code, get ten recovery codes once."""

import pyotp
from django.urls import reverse

from accounts.tests.factories import UserFactory
from portal.models import AuditEvent
from usermgmt import totp
from usermgmt.models import RecoveryCode, TwoFactor
from usermgmt.views.security import SETUP_SECRET

SETUP_URL = reverse("usermgmt:two_factor_setup")


def test_any_partner_user_may_open_keamanan_akun(client, sub_user):
    client.force_login(sub_user)

    response = client.get(reverse("usermgmt:security"))

    assert response.status_code == 200
    assert "Tidak aktif" in response.content.decode()


def test_the_setup_page_shows_a_qr_code_and_the_key(client, sub_user):
    client.force_login(sub_user)

    response = client.get(SETUP_URL)

    content = response.content.decode()
    secret = client.session[SETUP_SECRET]
    assert "<svg" in content
    assert totp.secret_display(secret) in content
    assert not TwoFactor.objects.exists()


def test_a_correct_code_turns_it_on_and_shows_ten_codes(
    client, sub_user, send, mailoutbox
):
    client.force_login(sub_user)
    client.get(SETUP_URL)
    secret = client.session[SETUP_SECRET]

    response = send(client.post, SETUP_URL, {"code": pyotp.TOTP(secret).now()})

    content = response.content.decode()
    assert "Verifikasi dua langkah berhasil diaktifkan." in content
    two_factor = TwoFactor.objects.get(user=sub_user)
    assert two_factor.secret == secret
    codes = response.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert code in content
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert stored == {totp.recovery_hash(user_id=sub_user.pk, code=c) for c in codes}
    assert not any(code in stored for code in codes)  # only hashes are kept
    assert SETUP_SECRET not in client.session
    assert AuditEvent.objects.filter(action="usermgmt.two_factor_enabled").exists()
    assert [m.to for m in mailoutbox] == [[sub_user.email]]
    assert "diaktifkan" in mailoutbox[0].subject


def test_a_wrong_code_keeps_it_off(client, sub_user):
    client.force_login(sub_user)
    client.get(SETUP_URL)

    response = client.post(SETUP_URL, {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TwoFactor.objects.exists()


def test_the_key_stays_the_same_while_setting_up(client, sub_user):
    client.force_login(sub_user)
    client.get(SETUP_URL)
    first = client.session[SETUP_SECRET]
    client.post(SETUP_URL, {"code": "000000"})

    assert client.session[SETUP_SECRET] == first


def test_each_user_has_its_own_key(client, partner):
    keys = set()
    for _ in range(2):
        user = UserFactory(
            partner=partner, is_owner=False, access_rights={"produk": "view"}
        )
        client.force_login(user)
        client.get(SETUP_URL)
        keys.add(client.session[SETUP_SECRET])

    assert len(keys) == 2
