"""Menu Profil (Gambar 15): what was entered and where its review stands."""

from portal.lib.review import review_decide

DETAIL = "/profil/data/"


def test_profil_redirects_to_the_detail_page(owner_client):
    assert owner_client.get("/profil/")["Location"] == DETAIL


def test_sidebar_offers_profil_and_kredensial(owner_client):
    page = owner_client.get(DETAIL).content.decode()
    assert 'href="/profil/data/"' in page
    assert 'href="/profil/kredensial/"' in page


def test_a_new_partner_is_invited_to_complete_the_data(client, new_owner):
    client.force_login(new_owner)
    page = client.get(DETAIL).content.decode()
    assert "Lengkapi Data" in page
    assert "Data profil belum diajukan" in page
    assert "Belum diunggah" in page


def test_a_submitted_profile_waits_and_cannot_be_edited(client, submission):
    client.force_login(submission.partner.owner)
    page = client.get(DETAIL).content.decode()
    assert "Menunggu verifikasi" in page and "1x24 jam" in page
    assert "/profil/data/ubah/" not in page


def test_an_approved_profile_shows_its_data_and_documents(client, approved_owner):
    client.force_login(approved_owner)
    page = client.get(DETAIL).content.decode()
    assert "Profil Perusahaan" in page
    for text in ("PT Maju Jaya Digital", "9120001234567", "Siti Rahmawati", "Aktif"):
        assert text in page
    assert "Ubah Data" in page
    for document in approved_owner.partner.profile.documents.all():
        assert f"/profil/data/dokumen/{document.pk}/" in page


def test_a_rejected_profile_offers_only_perbaiki_data_beside_the_reason(
    client, submission, staff
):
    review_decide(
        subject=submission, approve=False, actor=staff, reason="Scan KTP buram."
    )
    client.force_login(submission.partner.owner)

    page = client.get(DETAIL).content.decode()

    assert "Data profil ditolak." in page
    assert "Scan KTP buram." in page
    assert "Perbaiki Data" in page
    assert "Lengkapi Data" not in page
    assert page.count('href="/profil/data/ubah/"') == 1
