from django.urls import reverse

from billing.services import SANDBOX_BALANCE_CAP, deposit_balance
from portal.lib.environments import Environment


def test_sandbox_button_adds_development_funds_only(owner_client, partner):
    response = owner_client.post(
        reverse("billing:sandbox_fund"), {"next": "/dashboard/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert deposit_balance(partner=partner, environment=Environment.DEVELOPMENT) > 0
    assert deposit_balance(partner=partner, environment=Environment.PRODUCTION) == 0


def test_sandbox_funds_stop_at_the_cap(owner_client, partner):
    for _ in range(5):
        owner_client.post(reverse("billing:sandbox_fund"))
    balance = deposit_balance(partner=partner, environment=Environment.DEVELOPMENT)
    assert balance == SANDBOX_BALANCE_CAP
    response = owner_client.post(reverse("billing:sandbox_fund"), follow=True)
    assert "sudah mencapai batas Rp 10.000.000" in response.content.decode()


def test_sandbox_ignores_a_foreign_next_url(owner_client):
    response = owner_client.post(
        reverse("billing:sandbox_fund"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("billing:mutasi")


def test_sandbox_needs_the_change_right(client, sub_user, partner):
    client.force_login(sub_user)
    assert client.post(reverse("billing:sandbox_fund")).status_code == 403
    assert deposit_balance(partner=partner, environment=Environment.DEVELOPMENT) == 0
