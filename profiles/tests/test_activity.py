"""Aktivitas: the partner's own audit trail, newest first, paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.lib.audit import audit_record

PAGE = "/profil/data/aktivitas/"


def _events(partner, actor, count):
    for n in range(count):
        audit_record(
            action="profile.updated",
            actor=actor,
            partner=partner,
            subject=partner,
            before={},
            after={"city": f"Kota {n}"},
        )


def test_lists_own_events_newest_first(owner_client, owner, outsider):
    _events(owner.partner, owner, 2)
    audit_record(action="profile.rejected", partner=outsider.partner, after={})
    page = owner_client.get(PAGE).content.decode()
    assert page.index("Kota 1</li>") < page.index("Kota 0</li>")
    assert "Data kontak diubah" in page
    assert "Data profil ditolak" not in page


def test_staff_decisions_read_as_the_review_team(
    client, submission, staff, django_capture_on_commit_callbacks
):
    from portal.lib.review import review_decide

    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=submission, approve=False, actor=staff, reason="Buram")
    client.force_login(submission.partner.owner)
    page = client.get(PAGE).content.decode()
    assert "Data profil ditolak" in page
    assert "Tim verifikasi" in page
    assert staff.username not in page


def test_is_paginated(owner_client, owner):
    _events(owner.partner, owner, 25)
    first = owner_client.get(PAGE).content.decode()
    assert "Halaman 1 dari 2" in first
    assert "Kota 24</li>" in first and "Kota 4</li>" not in first
    second = owner_client.get(PAGE + "?page=2").content.decode()
    assert "Kota 4</li>" in second and "Kota 24</li>" not in second


def test_query_count_stays_the_same_as_events_grow(owner_client, owner):
    _events(owner.partner, owner, 2)
    owner_client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(PAGE)
    _events(owner.partner, owner, 15)
    with CaptureQueriesContext(connection) as many:
        owner_client.get(PAGE)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_needs_the_profil_right(client, sub_user):
    client.force_login(sub_user)
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("url", [PAGE, "/profil/data/", "/profil/kredensial/"])
def test_anonymous_is_sent_to_login(client, db, url):
    assert client.get(url)["Location"].startswith("/akun/login/")


def test_changes_are_labelled_like_the_profile_page(owner_client, owner):
    audit_record(
        action="profile.updated",
        actor=owner,
        partner=owner.partner,
        before={"phone": "+622155500001"},
        after={"phone": "+622155500002"},
    )
    page = owner_client.get(PAGE).content.decode()
    assert "Telepon kantor: +622155500001 → +622155500002" in page
