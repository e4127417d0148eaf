"""An NPWP is stored as digits and shown as printed on the card, on the Profil page and in the
back-office."""

import pytest

from profiles.fields import npwp_format

DETAIL = "/profil/data/"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("012345678901000", "01.234.567.8-901.000"),
        ("3273011208850002", "3273 0112 0885 0002"),
        ("12345", "12345"),  # not an NPWP of today: as stored
    ],
)
def test_an_npwp_reads_as_printed(stored, shown):
    assert npwp_format(stored) == shown


def test_the_profil_page_shows_the_npwp_formatted(client, approved_owner):
    profile = approved_owner.partner.profile
    profile.npwp = "012345678901000"
    profile.save(update_fields=["npwp"])
    client.force_login(approved_owner)

    page = client.get(DETAIL).content.decode()

    assert "01.234.567.8-901.000" in page
    assert "012345678901000" not in page


def test_the_back_office_shows_the_npwp_formatted(client, staff, approved_owner):
    profile = approved_owner.partner.profile
    profile.npwp = "3273011208850002"
    profile.save(update_fields=["npwp"])
    client.force_login(staff)

    listing = client.get("/backoffice/profiles/profile/").content.decode()
    change = client.get(f"/backoffice/profiles/profile/{profile.pk}/change/")

    assert "3273 0112 0885 0002" in listing
    assert "3273 0112 0885 0002" in change.content.decode()
    assert "3273011208850002" not in change.content.decode()
