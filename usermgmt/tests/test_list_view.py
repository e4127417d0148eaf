"""The list (Gambar 50, 54): columns, the owner shown but not editable, pages, query count."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from usermgmt import services
from usermgmt.tests.factories import SubUserFactory

LIST_URL = reverse("usermgmt:list")


def test_the_list_shows_every_column(owner_client, owner, partner):
    user = SubUserFactory(partner=partner, phone="+6281377778888")

    content = owner_client.get(LIST_URL).content.decode()

    for header in ("Username", "Nama", "Email", "No. Telepon", "Hak Akses", "Status"):
        assert header in content
    assert "Login Terakhir" in content
    for value in (user.username, user.name, user.email, "+6281377778888", "Laporan"):
        assert value in content
    assert owner.username in content
    assert "Tambah Data" in content


def test_the_owner_has_no_edit_or_delete(owner_client, owner, partner):
    user = SubUserFactory(partner=partner)

    content = owner_client.get(LIST_URL).content.decode()

    assert reverse("usermgmt:edit", args=[user.pk]) in content
    assert reverse("usermgmt:delete", args=[user.pk]) in content
    assert reverse("usermgmt:edit", args=[owner.pk]) not in content
    assert reverse("usermgmt:delete", args=[owner.pk]) not in content


def test_deleted_users_are_hidden_and_inactive_ones_marked(
    owner_client, owner, partner
):
    gone = SubUserFactory(partner=partner)
    resting = SubUserFactory(partner=partner, is_active=False)
    services.sub_user_delete(actor=owner, user=gone)

    content = owner_client.get(LIST_URL).content.decode()

    assert gone.username not in content
    assert resting.username in content
    assert "Nonaktif" in content


def test_other_partners_users_are_not_listed(owner_client, outsider):
    assert outsider.username not in owner_client.get(LIST_URL).content.decode()


def test_a_viewer_sees_the_list_without_actions(client, partner):
    viewer = UserFactory(
        partner=partner, is_owner=False, access_rights={"usermgmt": "view"}
    )
    other = SubUserFactory(partner=partner)
    client.force_login(viewer)

    content = client.get(LIST_URL).content.decode()

    assert other.username in content
    assert reverse("usermgmt:add") not in content
    assert reverse("usermgmt:edit", args=[other.pk]) not in content
    assert "Aksi" not in content


def test_the_list_is_paginated(owner_client, partner):
    SubUserFactory.create_batch(12, partner=partner)

    first = owner_client.get(LIST_URL)
    second = owner_client.get(LIST_URL, {"page": 2})

    assert len(first.context["rows"]) == 10
    assert len(second.context["rows"]) == 3
    assert "Halaman 1 dari 2" in first.content.decode()


def test_the_query_count_does_not_grow_with_rows(owner_client, partner):
    SubUserFactory.create_batch(2, partner=partner)
    owner_client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(LIST_URL)
    SubUserFactory.create_batch(6, partner=partner)
    with CaptureQueriesContext(connection) as many:
        owner_client.get(LIST_URL)

    assert len(many) == len(few)
