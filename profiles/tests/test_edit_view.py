import pytest

from accounts.models import Partner
from accounts.tests.factories import UserFactory
from portal.lib.access import Level, Menu
from portal.models import AuditEvent
from profiles.models import Profile, ProfileDocument, ProfileSubmission
from profiles.tests.factories import NIK_MALE, form_data, form_files

EDIT = "/profil/data/ubah/"


@pytest.fixture
def new_client(client, new_owner):
    client.force_login(new_owner)
    return client


def test_lengkapi_data_shows_the_company_form(new_client):
    page = new_client.get(EDIT).content.decode()
    assert "Nama perusahaan" in page
    assert "NIK penanggung jawab" in page
    assert "SK Kemenkumham" in page
    assert "Simpan Draft" in page


def test_a_draft_may_be_saved_half_filled_without_documents(new_client, new_owner):
    response = new_client.post(
        EDIT, {"action": "draft", "company_name": "PT Setengah Jadi"}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(partner=new_owner.partner)
    assert profile.company_name == "PT Setengah Jadi"
    new_owner.partner.refresh_from_db()
    assert new_owner.partner.status == Partner.Status.INCOMPLETE
    assert not ProfileSubmission.objects.exists()
    assert AuditEvent.objects.filter(action="profile.draft_saved").exists()


def test_a_draft_still_validates_what_was_typed(new_client):
    response = new_client.post(EDIT, {"action": "draft", "nib": "123"})
    assert response.status_code == 200
    assert "NIB harus 13 digit angka (Anda mengisi 3 digit)." in (
        response.content.decode()
    )
    assert not Profile.objects.exists()


def test_simpan_requires_every_field_and_document_with_a_message_each(new_client):
    response = new_client.post(
        EDIT, {"action": "submit", "company_name": "PT Belum Lengkap"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "NIB wajib diisi." in page
    assert "NPWP perusahaan wajib diisi." in page
    assert "Dokumen KTP penanggung jawab wajib diunggah." in page
    assert "Dokumen SK Kemenkumham wajib diunggah." in page
    # The optional ones are not asked for.
    assert "Website wajib diisi." not in page
    assert "Akta perubahan terakhir wajib diunggah." not in page
    # What was typed stays in the form.
    assert 'value="PT Belum Lengkap"' in page
    assert not Profile.objects.exists()


def test_simpan_submits_the_profile_for_verification(new_client, new_owner):
    data = {"action": "submit", **form_data("perusahaan"), **form_files("perusahaan")}
    response = new_client.post(EDIT, data)
    assert response.status_code == 302
    assert response["Location"] == "/profil/data/terkirim/"
    notice = new_client.get(response["Location"]).content.decode()
    assert "1x24 jam" in notice
    partner = Partner.objects.get(pk=new_owner.partner_id)
    assert partner.status == Partner.Status.PENDING
    profile = partner.profile
    assert profile.npwp == "012345678901000"
    assert profile.phone == "+622155512345"
    assert profile.tech_phone == "+6281311112222"
    assert profile.tech_email == "andi@majujaya.co.id"
    assert profile.website == "https://majujaya.co.id"
    submission = ProfileSubmission.objects.get()
    assert submission.kind == "initial" and submission.is_pending
    assert profile.documents.filter(status=ProfileDocument.Status.CURRENT).count() == 6
    actions = set(
        AuditEvent.objects.filter(partner=partner).values_list("action", flat=True)
    )
    assert {"profile.saved", "profile.submitted", "partner.status_changed"} <= actions


def test_documents_of_a_draft_count_when_submitting_later(new_client, new_owner):
    new_client.post(EDIT, {"action": "draft", **form_files("perusahaan")})
    response = new_client.post(EDIT, {"action": "submit", **form_data("perusahaan")})
    assert response.status_code == 302
    new_owner.partner.refresh_from_db()
    assert new_owner.partner.status == Partner.Status.PENDING


def test_bentuk_usaha_lainnya_must_be_named(new_client):
    data = {
        "action": "submit",
        **form_data("perusahaan", business_form="lainnya"),
        **form_files("perusahaan"),
    }
    page = new_client.post(EDIT, data).content.decode()
    assert "Sebutkan bentuk usaha jika memilih Lainnya." in page


def test_pribadi_nik_must_match_the_birth_date(client, pribadi_owner):
    client.force_login(pribadi_owner)
    data = {"action": "draft", **form_data("pribadi", birth_date="1991-05-15")}
    page = client.post(EDIT, data).content.decode()
    assert "tidak sesuai dengan tanggal lahir" in page


def test_pribadi_form_asks_for_the_selfie(client, pribadi_owner):
    client.force_login(pribadi_owner)
    data = {"action": "submit", **form_data("pribadi"), **form_files("pribadi")}
    response = client.post(EDIT, data)
    assert response.status_code == 302
    profile = Profile.objects.get(partner=pribadi_owner.partner)
    assert profile.nik == NIK_MALE
    kinds = set(profile.documents.values_list("kind", flat=True))
    assert kinds == {"ktp", "npwp", "selfie"}


def test_a_profile_under_verification_cannot_be_edited(client, submission):
    owner = submission.partner.owner
    client.force_login(owner)
    response = client.get(EDIT)
    assert response["Location"] == "/profil/data/"
    response = client.post(EDIT, {"action": "draft", "company_name": "PT Lain"})
    assert response.status_code == 302
    submission.profile.refresh_from_db()
    assert submission.profile.company_name == "PT Maju Jaya Digital"


def test_editing_needs_the_profil_change_right(client, new_owner):
    viewer = UserFactory(
        partner=new_owner.partner,
        is_owner=False,
        access_rights={Menu.PROFIL: Level.VIEW},
    )
    client.force_login(viewer)
    assert client.get("/profil/data/").status_code == 200
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"action": "draft"}).status_code == 403


def test_a_sub_user_without_profil_right_is_refused(client, sub_user):
    client.force_login(sub_user)
    assert client.get("/profil/data/").status_code == 403
    assert client.get(EDIT).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")
