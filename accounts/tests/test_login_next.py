"""After login, ``next`` is followed only to a page of this site."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
CHANGE_PASSWORD = reverse("accounts:password_change")

FOREIGN = [
    "//evil.example",
    "//evil.example/dashboard/",
    "https://evil.example",
    "http://evil.example/akun/ubah-password/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
]


@pytest.mark.parametrize("target", FOREIGN)
def test_a_foreign_next_lands_on_the_dashboard(login, owner, password, target):
    response = login(owner.phone, password, next_url=target)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


@pytest.mark.parametrize("target", FOREIGN)
def test_a_foreign_next_in_the_address_bar_is_ignored_too(
    client, owner, password, target
):
    response = client.post(
        f"{reverse('accounts:login')}?next={target}",
        {"identifier": owner.phone, "password": password},
    )

    assert response["Location"] == DASHBOARD


def test_a_page_of_this_site_is_honoured(login, owner, password):
    response = login(owner.phone, password, next_url=CHANGE_PASSWORD)

    assert response["Location"] == CHANGE_PASSWORD


def test_the_login_page_carries_next_from_the_address_bar_into_the_form(client, owner):
    anonymous = client.get(CHANGE_PASSWORD)
    assert (
        anonymous["Location"] == f"{reverse('accounts:login')}?next={CHANGE_PASSWORD}"
    )

    html = client.get(anonymous["Location"]).content.decode()

    assert f'<input type="hidden" name="next" value="{CHANGE_PASSWORD}">' in html


def test_a_logged_in_visitor_of_the_login_page_is_sent_on_but_never_away(
    owner_client,
):
    login_url = reverse("accounts:login")

    away = owner_client.get(login_url, {"next": "//evil.example"})
    local = owner_client.get(login_url, {"next": CHANGE_PASSWORD})

    assert away["Location"] == DASHBOARD
    assert local["Location"] == CHANGE_PASSWORD
