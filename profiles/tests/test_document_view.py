"""Scanned documents are served only to the partner's own users and to staff."""

import pytest

from accounts.tests.factories import StaffFactory, UserFactory
from portal.lib.access import Level, Menu


@pytest.fixture
def document(submission):
    return submission.profile.documents.get(kind="ktp")


def _url(document) -> str:
    return f"/profil/data/dokumen/{document.pk}/"


def _is_attachment(response) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_owner_downloads_the_document_as_an_attachment(client, document):
    client.force_login(document.partner.owner)
    response = client.get(_url(document))
    _is_attachment(response)
    assert f"ktp-{document.partner.code.lower()}.png" in response["Content-Disposition"]


def test_sub_user_with_profil_right_downloads_it(client, document):
    viewer = UserFactory(
        partner=document.partner,
        is_owner=False,
        access_rights={Menu.PROFIL: Level.VIEW},
    )
    client.force_login(viewer)
    _is_attachment(client.get(_url(document)))


def test_staff_downloads_it(client, document, staff):
    client.force_login(staff)
    _is_attachment(client.get(_url(document)))


def test_staff_without_permission_to_view_profiles_gets_404(client, document):
    client.force_login(StaffFactory(is_superuser=False))
    assert client.get(_url(document)).status_code == 404


def test_sub_user_without_profil_right_gets_404(client, document):
    reporter = UserFactory(
        partner=document.partner,
        is_owner=False,
        access_rights={Menu.TRANSAKSI: Level.VIEW},
    )
    client.force_login(reporter)
    assert client.get(_url(document)).status_code == 404


def test_outsider_gets_404(client, document, outsider):
    client.force_login(outsider)
    assert client.get(_url(document)).status_code == 404


def test_anonymous_gets_404(client, document):
    assert client.get(_url(document)).status_code == 404


def test_unknown_document_is_404(client, document):
    client.force_login(document.partner.owner)
    assert client.get(f"/profil/data/dokumen/{document.pk + 999}/").status_code == 404
