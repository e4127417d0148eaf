"""Staff decide a profile in the back-office; the partner sees the result and can resubmit."""

import pytest

from accounts.models import Partner
from portal.models import AuditEvent
from profiles.models import Credential, ProfileSubmission
from profiles.tests.factories import form_data

CHANGELIST = "/backoffice/profiles/profilesubmission/"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _action(client, action: str, submission, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [submission.pk], **extra},
    )


def test_changelist_filters_by_status(staff_client, submission):
    page = staff_client.get(CHANGELIST + "?review_status__exact=pending")
    assert submission.partner.name in page.content.decode()
    page = staff_client.get(CHANGELIST + "?review_status__exact=approved")
    assert submission.partner.name not in page.content.decode()


def test_detail_page_shows_the_data_and_links_to_every_document(
    staff_client, submission
):
    page = staff_client.get(f"{CHANGELIST}{submission.pk}/change/").content.decode()
    assert "PT Maju Jaya Digital" in page
    assert "9120001234567" in page
    for document in submission.profile.documents.all():
        url = f"/profil/data/dokumen/{document.pk}/"
        assert url in page
        assert staff_client.get(url).status_code == 200
    assert "Setujui" in page and "Tolak" in page


def test_approving_activates_the_partner_and_sends_both_emails(
    db, mailoutbox, staff_client, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(staff_client, "review_approve", submission)
    assert response.status_code == 302
    partner = Partner.objects.get(pk=submission.partner_id)
    assert partner.status == Partner.Status.ACTIVE
    assert partner.name == "PT Maju Jaya Digital"
    submission.refresh_from_db()
    assert submission.is_approved and submission.decided_by is not None
    owner = partner.owner
    approval, credentials = mailoutbox
    assert approval.to == [owner.email] and credentials.to == [owner.email]
    assert approval.subject.startswith("Data Profil Mitra Disetujui")
    assert "Aktif" in approval.body
    assert "Aktif" in approval.alternatives[0][0]
    assert credentials.subject.startswith("Credential Production dan Development")
    for text in (credentials.body, credentials.alternatives[0][0]):
        assert "Webreport (Production)".upper() in text.upper()
        assert "Transaksi (Production)".upper() in text.upper()
        assert "Transaksi (Development)".upper() in text.upper()
    assert Credential.objects.filter(partner=partner).count() == 2
    actions = list(
        AuditEvent.objects.filter(partner=partner).values_list("action", flat=True)
    )
    assert {"profile.approved", "credential.issued", "partner.status_changed"} <= set(
        actions
    )


def test_approve_button_on_the_detail_page_does_the_same(
    staff_client, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{CHANGELIST}{submission.pk}/review/", {"decision": "approve"}
        )
    assert response.status_code == 302
    assert Partner.objects.get(pk=submission.partner_id).status == "aktif"


def test_reject_asks_for_a_reason_first(staff_client, submission):
    response = _action(staff_client, "review_reject", submission)
    assert response.status_code == 200
    assert "Alasan penolakan" in response.content.decode()
    submission.refresh_from_db()
    assert submission.is_pending


def test_rejecting_tells_the_partner_why_and_allows_resubmission(
    db, mailoutbox, client, staff, submission, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    reason = "Foto KTP penanggung jawab buram."
    with django_capture_on_commit_callbacks(execute=True):
        _action(client, "review_reject", submission, reason=reason)
    partner = Partner.objects.get(pk=submission.partner_id)
    assert partner.status == Partner.Status.REJECTED
    (email,) = mailoutbox
    assert email.subject.startswith("Ditolak: Verifikasi profil mitra")
    assert reason in email.body and reason in email.alternatives[0][0]
    assert AuditEvent.objects.filter(action="profile.rejected").exists()
    assert not Credential.objects.exists()

    owner = partner.owner
    client.force_login(owner)
    page = client.get("/profil/data/").content.decode()
    assert reason in page and "Perbaiki Data" in page
    # The documents already stored still count: the partner corrects data and resubmits.
    data = form_data("perusahaan", company_name="PT Maju Jaya Digital Indonesia")
    response = client.post("/profil/data/ubah/", {"action": "submit", **data})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == Partner.Status.PENDING
    resubmitted = ProfileSubmission.objects.get()
    assert resubmitted.pk == submission.pk
    assert resubmitted.is_pending and resubmitted.review_reason == ""
    assert resubmitted.profile.company_name == "PT Maju Jaya Digital Indonesia"


def test_reject_without_reason_on_the_detail_page_changes_nothing(
    staff_client, submission
):
    staff_client.post(
        f"{CHANGELIST}{submission.pk}/review/", {"decision": "reject", "reason": " "}
    )
    submission.refresh_from_db()
    assert submission.is_pending


def test_a_second_decision_is_refused(
    staff_client, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _action(staff_client, "review_approve", submission)
    response = _action(staff_client, "review_reject", submission, reason="Terlambat")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.is_approved
    assert Partner.objects.get(pk=submission.partner_id).status == "aktif"


def test_staff_cannot_add_or_delete_submissions(staff_client, submission):
    assert staff_client.get(CHANGELIST + "add/").status_code == 403
    assert staff_client.get(f"{CHANGELIST}{submission.pk}/delete/").status_code == 403
