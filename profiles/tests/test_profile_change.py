"""Ubah Data of an approved partner: contact details change at once, legal data and documents
wait for staff while the approved values stay live."""

import pytest

from accounts.models import Partner
from portal.lib.review import review_decide
from portal.models import AuditEvent
from profiles.models import ProfileDocument, ProfileSubmission
from profiles.tests.factories import form_data, upload_pdf

EDIT = "/profil/data/ubah/"


@pytest.fixture
def owner_client(client, approved_owner):
    client.force_login(approved_owner)
    return client


def _save(client, **changes):
    return client.post(EDIT, {**form_data("perusahaan"), **changes})


def test_ubah_data_has_no_draft_button(owner_client):
    page = owner_client.get(EDIT).content.decode()
    assert "Simpan Draft" not in page
    assert "Ubah Data" in page


def test_contact_details_change_at_once(owner_client, approved_owner):
    response = _save(owner_client, address="Jl. Thamrin No. 5", tech_name="Rina")
    assert response.status_code == 302
    profile = approved_owner.partner.profile
    profile.refresh_from_db()
    assert profile.address == "Jl. Thamrin No. 5"
    assert profile.tech_name == "Rina"
    assert not ProfileSubmission.objects.filter(kind="change").exists()
    event = AuditEvent.objects.get(action="profile.updated")
    assert event.before == {
        "address": "Jl. Sudirman Kav. 1",
        "tech_name": "Andi Teknik",
    }
    assert event.after == {"address": "Jl. Thamrin No. 5", "tech_name": "Rina"}


def test_legal_data_waits_for_review_while_the_approved_value_stays(
    owner_client, approved_owner
):
    response = _save(owner_client, npwp="3174015505900001")
    assert response.status_code == 302
    partner = Partner.objects.get(pk=approved_owner.partner_id)
    assert partner.status == Partner.Status.ACTIVE
    assert partner.profile.npwp == "012345678901000"
    change = ProfileSubmission.objects.get(kind="change")
    assert change.is_pending and change.changes == {"npwp": "3174015505900001"}
    page = owner_client.get("/profil/data/").content.decode()
    assert "Perubahan menunggu verifikasi" in page
    # Both shown as printed on the card (profiles.fields.npwp_format).
    assert "3174 0155 0590 0001" in page and "01.234.567.8-901.000" in page
    # Ubah Data continues from what was sent.
    assert 'value="3174015505900001"' in owner_client.get(EDIT).content.decode()


def test_approving_the_change_applies_it(
    db,
    mailoutbox,
    owner_client,
    approved_owner,
    staff,
    django_capture_on_commit_callbacks,
):
    _save(owner_client, company_name="PT Maju Jaya Nusantara", nib="9120009999999")
    change = ProfileSubmission.objects.get(kind="change")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=change, approve=True, actor=staff)
    partner = Partner.objects.get(pk=approved_owner.partner_id)
    assert partner.profile.company_name == "PT Maju Jaya Nusantara"
    assert partner.profile.nib == "9120009999999"
    assert partner.name == "PT Maju Jaya Nusantara"
    assert partner.status == Partner.Status.ACTIVE
    assert AuditEvent.objects.filter(action="profile.change_applied").exists()
    (email,) = mailoutbox
    assert email.subject.startswith("Disetujui: Perubahan data profil")


def test_rejecting_the_change_keeps_the_approved_data(
    owner_client, approved_owner, staff, django_capture_on_commit_callbacks
):
    _save(owner_client, nib="9120009999999", doc_nib=upload_pdf())
    change = ProfileSubmission.objects.get(kind="change")
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(
            subject=change, approve=False, actor=staff, reason="NIB tidak sesuai OSS."
        )
    profile = approved_owner.partner.profile
    profile.refresh_from_db()
    assert profile.nib == "9120001234567"
    assert change.documents.get().status == ProfileDocument.Status.REJECTED
    assert profile.documents.get(kind="nib", status="current").file.name.endswith(
        ".png"
    )
    page = owner_client.get("/profil/data/").content.decode()
    assert "Perubahan data ditolak" in page and "NIB tidak sesuai OSS." in page
    assert Partner.objects.get(pk=approved_owner.partner_id).status == "aktif"


def test_a_new_document_replaces_the_old_one_on_approval(
    owner_client, approved_owner, staff, django_capture_on_commit_callbacks
):
    profile = approved_owner.partner.profile
    old = profile.documents.get(kind="akta", status="current")
    response = _save(owner_client, doc_akta=upload_pdf())
    assert response.status_code == 302
    change = ProfileSubmission.objects.get(kind="change")
    assert change.changes == {}
    pending = change.documents.get()
    assert pending.kind == "akta" and pending.status == "pending"
    assert profile.documents.get(kind="akta", status="current") == old
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=change, approve=True, actor=staff)
    old.refresh_from_db()
    pending.refresh_from_db()
    assert old.status == "replaced" and pending.status == "current"


def test_saving_again_updates_the_pending_change(owner_client):
    _save(owner_client, npwp="3174015505900001")
    _save(owner_client, npwp="3174015505900001", nib="9120009999999")
    change = ProfileSubmission.objects.get(kind="change")
    assert change.changes == {"npwp": "3174015505900001", "nib": "9120009999999"}


def test_putting_the_approved_values_back_withdraws_the_change(owner_client):
    _save(owner_client, npwp="3174015505900001")
    _save(owner_client)
    assert not ProfileSubmission.objects.filter(kind="change").exists()
    assert AuditEvent.objects.filter(action="profile_change.withdrawn").exists()


def test_required_fields_cannot_be_emptied(owner_client, approved_owner):
    response = _save(owner_client, address="")
    assert "Alamat perusahaan wajib diisi." in response.content.decode()
    profile = approved_owner.partner.profile
    profile.refresh_from_db()
    assert profile.address == "Jl. Sudirman Kav. 1"


def test_a_service_call_with_some_fields_keeps_the_rest_of_a_pending_change(
    owner_client, approved_owner
):
    from profiles import services

    _save(owner_client, npwp="3174015505900001")
    services.profile_save(
        partner=approved_owner.partner,
        actor=approved_owner,
        data={"nib": "9120009999999", "city": "Bekasi"},
        submit=True,
    )
    change = ProfileSubmission.objects.get(kind="change")
    assert change.changes == {"npwp": "3174015505900001", "nib": "9120009999999"}
    approved_owner.partner.profile.refresh_from_db()
    assert approved_owner.partner.profile.city == "Bekasi"


def test_a_second_replacement_before_review_supersedes_the_first(
    owner_client, settings, django_capture_on_commit_callbacks
):
    _save(owner_client, doc_akta=upload_pdf())
    first = ProfileDocument.objects.get(status="pending")
    path = settings.PRIVATE_STORAGE_ROOT / first.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _save(owner_client, doc_akta=upload_pdf())
    assert not ProfileDocument.objects.filter(pk=first.pk).exists()
    assert not path.exists()
    assert ProfileDocument.objects.filter(status="pending").count() == 1
