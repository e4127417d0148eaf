"""Turning two-factor login off needs the password and a code."""

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from usermgmt import services
from usermgmt.models import TwoFactor
from usermgmt.tests.factories import TwoFactorFactory, current_code

URL = reverse("usermgmt:two_factor_disable")


@pytest.fixture
def two_factor(sub_user):
    return TwoFactorFactory(user=sub_user)


def test_password_and_code_turn_it_off(
    client, sub_user, two_factor, password, send, mailoutbox
):
    client.force_login(sub_user)

    response = send(
        client.post,
        URL,
        {"password": password, "code": current_code(two_factor)},
        follow=True,
    )

    assert "Verifikasi dua langkah dinonaktifkan." in response.content.decode()
    assert not TwoFactor.objects.exists()
    assert AuditEvent.objects.filter(action="usermgmt.two_factor_disabled").exists()
    assert "dinonaktifkan" in mailoutbox[0].subject


def test_a_wrong_password_keeps_it_on(client, sub_user, two_factor):
    client.force_login(sub_user)

    response = client.post(
        URL, {"password": "salah-sekali", "code": current_code(two_factor)}
    )

    assert response.context["form"].errors["password"] == ["Password salah."]
    assert TwoFactor.objects.exists()


def test_a_wrong_code_keeps_it_on(client, sub_user, two_factor, password):
    client.force_login(sub_user)

    response = client.post(URL, {"password": password, "code": "000000"})

    assert response.context["form"].errors["code"]
    assert TwoFactor.objects.exists()


def test_it_cannot_be_turned_off_while_the_partner_requires_it(
    client, owner, sub_user, two_factor, password
):
    TwoFactorFactory(user=owner)
    services.two_factor_policy_set(actor=owner, required=True)
    client.force_login(sub_user)

    response = client.post(
        URL, {"password": password, "code": current_code(two_factor)}
    )

    assert "mewajibkan" in response.content.decode()
    assert TwoFactor.objects.filter(user=sub_user).exists()


def test_staff_can_reset_it_for_a_user_who_lost_the_phone(staff, sub_user, two_factor):
    assert services.two_factor_reset(user=sub_user, actor=staff) is True

    assert not TwoFactor.objects.filter(user=sub_user).exists()
    assert AuditEvent.objects.get(action="usermgmt.two_factor_reset").actor == staff
    with pytest.raises(services.UserManagementError):
        services.two_factor_reset(user=sub_user, actor=sub_user)
