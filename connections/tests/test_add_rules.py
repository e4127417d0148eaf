"""Duplicates, ranges that already cover an address, and at most 10 entries per environment."""

import pytest
from django.urls import reverse

from connections.models import Connection
from connections.tests.factories import ConnectionFactory

ADD_URL = reverse("connections:add")


def _add(client, address, environment="production"):
    return client.post(ADD_URL, {"environment": environment, "address": address})


def _address_errors(response):
    return response.context["form"].errors.get("address", [])


@pytest.mark.parametrize(
    ("existing", "typed", "message"),
    [
        ("36.94.12.7", "36.94.12.7", "36.94.12.7 sudah terdaftar untuk Production"),
        ("36.94.12.7", "::ffff:36.94.12.7", "sudah terdaftar untuk Production"),
        ("36.94.12.0/28", "36.94.12.0/28", "sudah terdaftar untuk Production"),
        (
            "2404:c0:1::/48",
            "2404:c0:1::7",
            "sudah tercakup oleh rentang 2404:c0:1::/48",
        ),
        ("36.94.12.0/24", "36.94.12.7", "sudah tercakup oleh rentang 36.94.12.0/24"),
        ("36.94.12.0/24", "36.94.12.16/28", "sudah tercakup oleh rentang"),
    ],
)
def test_duplicates_within_an_environment_are_refused(
    owner_client, partner, existing, typed, message
):
    ConnectionFactory(partner=partner, environment="production", address=existing)

    response = _add(owner_client, typed)

    assert any(message in error for error in _address_errors(response))
    assert Connection.objects.count() == 1


def test_the_same_address_may_be_listed_in_each_environment(owner_client, partner):
    ConnectionFactory(partner=partner, environment="development", address="36.94.12.7")

    _add(owner_client, "36.94.12.7", environment="production")

    assert Connection.objects.filter(address="36.94.12.7").count() == 2


def test_a_rejected_duplicate_points_to_its_status(owner_client, partner):
    ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.7", rejected=True
    )

    response = _add(owner_client, "36.94.12.7")

    assert _address_errors(response) == [
        "36.94.12.7 sudah terdaftar untuk Production (status: Ditolak)."
    ]


def test_a_rejected_range_does_not_cover_an_address(owner_client, partner):
    ConnectionFactory(
        partner=partner,
        environment="production",
        address="36.94.12.0/24",
        rejected=True,
    )

    _add(owner_client, "36.94.12.7")

    assert Connection.objects.filter(address="36.94.12.7").exists()


def test_a_wider_range_may_be_added_over_an_existing_address(owner_client, partner):
    ConnectionFactory(partner=partner, environment="production", address="36.94.12.7")

    _add(owner_client, "36.94.12.0/28")

    assert Connection.objects.filter(address="36.94.12.0/28").exists()


def test_a_deleted_entry_can_be_added_again(owner_client, partner):
    old = ConnectionFactory(
        partner=partner, environment="production", address="36.94.12.7"
    )
    old.deleted_at = old.created_at
    old.save()

    _add(owner_client, "36.94.12.7")

    assert Connection.objects.not_deleted().filter(address="36.94.12.7").count() == 1


def test_another_partners_entries_do_not_count(owner_client, outsider):
    ConnectionFactory(
        partner=outsider.partner, environment="production", address="36.94.12.7"
    )

    _add(owner_client, "36.94.12.7")

    assert Connection.objects.filter(address="36.94.12.7").count() == 2


def _fill(partner, environment, count=10):
    for n in range(count):
        ConnectionFactory(
            partner=partner, environment=environment, address=f"36.94.12.{n + 1}"
        )


def test_at_most_ten_entries_per_environment(owner_client, partner):
    _fill(partner, "production")

    response = _add(owner_client, "36.94.13.1")

    assert response.context["form"].errors["environment"] == [
        "Maksimal 10 IP Address untuk Production. Hapus entri yang tidak dipakai "
        "sebelum menambah yang baru."
    ]
    assert Connection.objects.filter(environment="production").count() == 10


def test_the_limit_is_per_environment(owner_client, partner):
    _fill(partner, "production")

    _add(owner_client, "36.94.13.1", environment="development")

    assert Connection.objects.filter(environment="development").count() == 1


def test_deleted_entries_do_not_count_towards_the_limit(owner_client, partner):
    _fill(partner, "production")
    owner_client.post(
        reverse("connections:delete", args=[Connection.objects.first().pk])
    )

    _add(owner_client, "36.94.13.1")

    assert (
        Connection.objects.not_deleted().filter(environment="production").count() == 10
    )
    assert Connection.objects.filter(address="36.94.13.1").exists()
