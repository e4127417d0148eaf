"""Ubah Password asks for the current password first."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
NEW_PASSWORD = "layang-layang-di-sore-hari"


def _change(client, current: str):
    return client.post(
        CHANGE,
        {
            "old_password": current,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def test_the_page_asks_the_current_password(owner_client):
    html = owner_client.get(CHANGE).content.decode()

    assert 'name="old_password"' in html
    assert 'name="new_password1"' in html


def test_a_wrong_current_password_changes_nothing(owner_client, owner, password):
    response = _change(owner_client, "bukan-password-lama")

    assert response.status_code == 200
    assert "Password lama salah. Silakan masukkan lagi." in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(password)


def test_the_right_current_password_changes_it_and_keeps_this_session(
    owner_client, owner, password
):
    response = _change(owner_client, password)

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    page = owner_client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert "Password berhasil diubah." in page.content.decode()


def test_a_sub_user_lands_on_a_page_it_may_open_after_the_change(
    client, sub_user, password
):
    client.force_login(sub_user)

    response = _change(client, password)

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(CHANGE)

    assert response["Location"].startswith(reverse("accounts:login"))
