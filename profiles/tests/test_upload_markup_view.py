"""A document carrying markup is refused on the profile page with a message in Indonesian,
and what the partner typed stays in the form."""

from django.core.files.uploadedfile import SimpleUploadedFile

from profiles.models import ProfileDocument
from profiles.tests.factories import form_data, pdf_bytes

EDIT = "/profil/data/ubah/"


def test_a_pdf_with_an_img_onerror_is_refused_and_the_form_keeps_its_values(
    client, new_owner
):
    client.force_login(new_owner)
    content = pdf_bytes().replace(
        b"trailer", b"3 0 obj\n(<img src=x onerror=alert(1)>)\nendobj\ntrailer"
    )
    data = form_data(new_owner.partner.kind, company_name="PT Tetap Terisi")

    response = client.post(
        EDIT,
        {
            **data,
            "action": "draft",
            "doc_ktp": SimpleUploadedFile("ktp.pdf", content, "application/pdf"),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "File ditolak: file PDF berisi kode HTML/skrip." in page
    assert 'value="PT Tetap Terisi"' in page
    assert not ProfileDocument.objects.exists()
