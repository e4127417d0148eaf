"""Keluar ends the session, and only through a POST."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGOUT = reverse("accounts:logout")


def test_logout_by_post_ends_the_session_and_shows_the_login(owner_client):
    response = owner_client.post(LOGOUT)

    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in owner_client.session
    dashboard = owner_client.get(reverse("portal:dashboard"))
    assert dashboard["Location"].startswith(reverse("accounts:login"))


def test_a_link_or_an_image_cannot_log_anyone_out(owner_client):
    response = owner_client.get(LOGOUT)

    assert response.status_code == 405
    assert owner_client.get(reverse("portal:dashboard")).status_code == 200


def test_every_portal_page_offers_keluar_as_a_form(owner_client):
    html = owner_client.get(reverse("portal:dashboard")).content.decode()

    assert f'<form method="post" action="{LOGOUT}">' in html
    assert "Keluar" in html
