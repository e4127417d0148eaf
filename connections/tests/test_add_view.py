"""Gambar 18–20: Tambah → Tipe Koneksi + IP Address → Simpan."""

import pytest
from django.urls import reverse

from connections.models import Connection
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent

ADD_URL = reverse("connections:add")


def test_the_form_asks_for_tipe_koneksi_and_ip_address(owner_client):
    response = owner_client.get(ADD_URL)

    content = response.content.decode()
    assert response.status_code == 200
    for text in ("Tipe Koneksi", "Development", "Production", "IP Address", "Simpan"):
        assert text in content


def test_simpan_saves_a_pending_entry_and_says_so(owner_client, partner, owner):
    response = owner_client.post(
        ADD_URL, {"environment": "production", "address": " 36.94.12.7 "}, follow=True
    )

    assert "Data berhasil disimpan" in response.content.decode()
    entry = Connection.objects.get(partner=partner)
    assert (entry.environment, entry.address) == ("production", "36.94.12.7")
    assert entry.review_status == ReviewStatus.PENDING
    assert entry.created_by == owner
    event = AuditEvent.objects.get(action="connection.created")
    assert (event.partner, event.actor) == (partner, owner)
    assert event.after["address"] == "36.94.12.7"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("36.94.12.0/28", "36.94.12.0/28"),
        ("36.94.12.0/24", "36.94.12.0/24"),
        ("2404:C0:1::10", "2404:c0:1::10"),
        ("2404:c0:1::/48", "2404:c0:1::/48"),
        ("::ffff:36.94.12.7", "36.94.12.7"),
    ],
)
def test_ipv4_ipv6_and_ranges_are_stored_normalised(owner_client, typed, stored):
    owner_client.post(ADD_URL, {"environment": "production", "address": typed})

    assert Connection.objects.get().address == stored


@pytest.mark.parametrize(
    "typed", ["10.0.0.5", "127.0.0.1", "::1", "192.168.1.0/24", "fd12:3456::/48"]
)
def test_development_accepts_private_and_loopback_addresses(owner_client, typed):
    owner_client.post(ADD_URL, {"environment": "development", "address": typed})

    assert Connection.objects.filter(environment="development").count() == 1


@pytest.mark.parametrize(
    ("environment", "typed", "field", "message"),
    [
        ("development", "", "address", "IP Address wajib diisi."),
        ("", "36.94.12.7", "environment", "Pilih tipe koneksi Development atau"),
        ("staging", "36.94.12.7", "environment", "Pilih tipe koneksi Development atau"),
        ("development", "abc", "address", "“abc” bukan IP Address yang valid"),
        ("development", "36.94.12.300", "address", "bukan IP Address yang valid"),
        ("development", "36.94.12.7/24", "address", "Maksud Anda 36.94.12.0/24?"),
        ("development", "36.94.0.0/16", "address", "Maksimal /24 untuk IPv4"),
        ("development", "2404:c0::/32", "address", "Maksimal /48 untuk IPv6"),
        ("development", "224.0.0.1", "address", "alamat multicast dan tidak dapat"),
        ("development", "0.0.0.0", "address", "alamat tidak spesifik"),  # noqa: S104
        ("production", "10.0.0.5", "address", "jaringan privat/lokal"),
        ("production", "100.64.0.9", "address", "jaringan privat/lokal"),
        ("production", "fd00::5", "address", "jaringan privat/lokal"),
        ("production", "127.0.0.1", "address", "alamat loopback"),
        ("production", "::1", "address", "alamat loopback"),
        ("production", "169.254.10.1", "address", "alamat link-local"),
        ("production", "fe80::1", "address", "alamat link-local"),
        ("production", "203.0.113.7", "address", "contoh untuk dokumentasi"),
        ("production", "240.0.0.1", "address", "cadangan (reserved)"),
    ],
)
def test_bad_input_is_refused_per_field_and_kept(
    owner_client, environment, typed, field, message
):
    response = owner_client.post(
        ADD_URL, {"environment": environment, "address": typed}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert form["address"].value() == typed
    if typed:
        assert f'value="{typed}"' in response.content.decode()
    assert not Connection.objects.exists()


def test_production_refusal_says_why_and_what_to_do(owner_client):
    response = owner_client.post(
        ADD_URL, {"environment": "production", "address": "192.168.1.10"}
    )

    (error,) = response.context["form"].errors["address"]
    assert error == (
        "IP Address Production harus IP publik server Anda: 192.168.1.10 adalah "
        "alamat jaringan privat/lokal, bukan IP publik. Gunakan tipe Development "
        "untuk IP lokal atau pengujian."
    )
