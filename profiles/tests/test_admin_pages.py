"""The back-office pages of profiles and credentials open and keep secrets out."""


def test_profile_admin_lists_and_shows_documents(client, staff, approved_owner):
    client.force_login(staff)
    profile = approved_owner.partner.profile
    assert client.get("/backoffice/profiles/profile/").status_code == 200
    page = client.get(f"/backoffice/profiles/profile/{profile.pk}/change/")
    assert page.status_code == 200
    for document in profile.documents.all():
        assert f"/profil/data/dokumen/{document.pk}/" in page.content.decode()


def test_credential_admin_never_shows_the_ha1(client, staff, approved_owner):
    client.force_login(staff)
    credential = approved_owner.partner.credentials.first()
    assert client.get("/backoffice/profiles/credential/").status_code == 200
    page = client.get(f"/backoffice/profiles/credential/{credential.pk}/change/")
    assert page.status_code == 200
    assert credential.merchant_id in page.content.decode()
    assert credential.ha1 not in page.content.decode()
