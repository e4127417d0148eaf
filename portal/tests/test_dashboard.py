"""After login the dashboard asks a partner with an incomplete profile to Lengkapi Data."""

import pytest
from django.urls import reverse

from accounts.models import Partner
from accounts.tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _dashboard_after_login(client, status, password) -> str:
    user = UserFactory(partner=PartnerFactory(status=status))
    response = client.post(
        reverse("accounts:login"),
        {"identifier": user.phone, "password": password},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    return response.content.decode()


def test_a_partner_with_an_incomplete_profile_is_asked_to_lengkapi_data(
    client, password
):
    html = _dashboard_after_login(client, Partner.Status.INCOMPLETE, password)

    assert "Data profil Anda belum lengkap" in html
    assert f'href="{reverse("profiles:edit")}">Lengkapi Data</a>' in html


@pytest.mark.parametrize(
    "status",
    [Partner.Status.ACTIVE, Partner.Status.PENDING],
)
def test_a_partner_whose_profile_is_complete_is_not(client, password, status):
    html = _dashboard_after_login(client, status, password)

    assert "Lengkapi Data" not in html
