"""Gambar 17 and 21: the list of entries with IP Address, Kategori and Status."""

from django.urls import reverse

from connections.tests.factories import ConnectionFactory

LIST_URL = reverse("connections:list")


def test_the_sidebar_offers_the_koneksi_menu(owner_client):
    response = owner_client.get(reverse("portal:dashboard"))

    assert f'href="{LIST_URL}"' in response.content.decode()


def test_an_empty_list_explains_what_to_do(owner_client):
    response = owner_client.get(LIST_URL)

    content = response.content.decode()
    assert "Belum ada IP Address yang didaftarkan." in content
    assert "Daftarkan IP server Anda" in content
    assert reverse("connections:add") in content


def test_entries_show_address_category_and_status_with_reason(owner_client, partner):
    ConnectionFactory(partner=partner, environment="production", address="36.94.12.7")
    ConnectionFactory(
        partner=partner, environment="development", address="10.0.0.0/24", approved=True
    )
    ConnectionFactory(
        partner=partner,
        environment="production",
        address="36.94.12.8",
        rejected=True,
        review_reason="Bukan IP server mitra.",
    )

    content = owner_client.get(LIST_URL).content.decode()

    for text in (
        "36.94.12.7",
        "10.0.0.0/24",
        "Production",
        "Development",
        "Menunggu",
        "Disetujui",
        "Ditolak",
        "Alasan: Bukan IP server mitra.",
        "Development: 1/10",
        "Production: 2/10",
    ):
        assert text in content


def test_deleted_and_other_partners_entries_are_not_listed(
    owner_client, partner, outsider
):
    deleted = ConnectionFactory(partner=partner, address="36.94.12.9")
    deleted.deleted_at = deleted.created_at
    deleted.save()
    ConnectionFactory(partner=outsider.partner, address="36.94.12.10")

    content = owner_client.get(LIST_URL).content.decode()

    assert "36.94.12.9" not in content
    assert "36.94.12.10" not in content


def test_the_list_is_paginated(owner_client, partner):
    for n in range(12):
        ConnectionFactory(partner=partner, address=f"36.94.12.{n + 1}")

    first = owner_client.get(LIST_URL)
    second = owner_client.get(LIST_URL, {"page": 2})

    assert len(first.context["connections"]) == 10
    assert len(second.context["connections"]) == 2
    assert "Halaman 2 dari 2" in second.content.decode()


def test_the_query_count_does_not_grow_with_rows(
    owner_client, partner, django_assert_max_num_queries
):
    ConnectionFactory(partner=partner)
    owner_client.get(LIST_URL)
    with django_assert_max_num_queries(20) as few:
        owner_client.get(LIST_URL)
    for _ in range(8):
        ConnectionFactory(partner=partner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(LIST_URL)


def test_documentation_stays_locked_until_an_entry_is_approved(owner_client, partner):
    ConnectionFactory(partner=partner)

    content = owner_client.get(LIST_URL).content.decode()

    assert "Dokumentasi terbuka setelah ada IP Address yang disetujui." in content
