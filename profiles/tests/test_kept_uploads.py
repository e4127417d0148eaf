"""After one refused document, the accepted ones are kept: the partner replaces only the bad
one. Kept files are the partner's own: nobody else can use their tokens."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Partner
from accounts.tests.factories import PartnerFactory, UserFactory
from portal.lib import kept_uploads
from profiles.models import ProfileDocument, document_kinds
from profiles.tests.factories import form_data, form_files, upload_png

EDIT = "/profil/data/ubah/"
KIND = Partner.Kind.PERUSAHAAN
BAD_KTP = b"<html><script>alert(1)</script></html>"

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_client(client, new_owner):
    client.force_login(new_owner)
    return client


def _files_with_a_bad_ktp() -> dict:
    files = form_files(KIND)
    files["doc_ktp"] = SimpleUploadedFile("ktp.pdf", BAD_KTP, "application/pdf")
    files["doc_npwp"] = upload_png("npwp-perusahaan.png")
    return files


def _tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="kept-(doc_\w+)" value="([^"]+)"', html))


def _pending_files() -> list[Path]:
    root = Path(settings.PRIVATE_STORAGE_ROOT) / kept_uploads.FOLDER
    return [path for path in root.glob("*/*") if path.is_file()]


def _refused_once(new_client) -> str:
    response = new_client.post(
        EDIT, {"action": "submit", **form_data(KIND), **_files_with_a_bad_ktp()}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_only_the_refused_document_is_marked_and_the_others_are_kept(new_client):
    html = _refused_once(new_client)

    assert html.count("File ditolak") == 1
    assert "wajib diunggah" not in html
    assert "Sudah diunggah: <strong>npwp-perusahaan.png</strong>" in html
    assert "pilih file lain untuk mengganti" in html
    kept = _tokens(html)
    assert set(kept) == {f"doc_{kind}" for kind in document_kinds(KIND)} - {"doc_ktp"}
    assert not ProfileDocument.objects.exists()
    # Kept outside every URL space, under the partner's own folder.
    assert len(_pending_files()) == len(kept)


def test_sending_only_the_replacement_saves_every_document(new_client, new_owner):
    kept = _tokens(_refused_once(new_client))

    response = new_client.post(
        EDIT,
        {
            "action": "submit",
            **form_data(KIND),
            **{f"kept-{name}": token for name, token in kept.items()},
            "doc_ktp": upload_png("ktp-baru.png"),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/profil/data/terkirim/"
    saved = ProfileDocument.objects.filter(partner=new_owner.partner)
    assert sorted(saved.values_list("kind", flat=True)) == sorted(document_kinds(KIND))
    # The kept copies were used up.
    assert _pending_files() == []


def test_a_kept_file_may_still_be_replaced_or_dropped(new_client, new_owner):
    kept = _tokens(_refused_once(new_client))

    html = new_client.post(
        EDIT,
        {
            "action": "submit",
            **form_data(KIND),
            **{f"kept-{name}": token for name, token in kept.items()},
            "kept-doc_nib-hapus": "1",
            "doc_akta": upload_png("akta-terbaru.png"),
        },
    ).content.decode()

    assert "Dokumen KTP penanggung jawab wajib diunggah." in html
    assert "Dokumen NIB/SIUP wajib diunggah." in html
    assert "Sudah diunggah: <strong>akta-terbaru.png</strong>" in html
    assert "Sudah diunggah: <strong>npwp-perusahaan.png</strong>" in html
    assert not ProfileDocument.objects.filter(partner=new_owner.partner).exists()


def test_another_partner_cannot_use_the_kept_files(new_client, new_owner):
    kept = _tokens(_refused_once(new_client))
    stranger = UserFactory(
        partner=PartnerFactory(kind=KIND, status=Partner.Status.INCOMPLETE)
    )
    other = Client()
    other.force_login(stranger)

    html = other.post(
        EDIT,
        {
            "action": "submit",
            **form_data(KIND),
            **{f"kept-{name}": token for name, token in kept.items()},
            "doc_ktp": upload_png(),
        },
    ).content.decode()

    assert "Dokumen NPWP perusahaan wajib diunggah." in html
    assert "npwp-perusahaan.png" not in html
    # Only the file the stranger sent itself is kept for it.
    assert set(_tokens(html)) == {"doc_ktp"}
    assert not ProfileDocument.objects.exists()
    # The owner's kept files are untouched and still work for the owner.
    response = new_client.post(
        EDIT,
        {
            "action": "submit",
            **form_data(KIND),
            **{f"kept-{name}": token for name, token in kept.items()},
            "doc_ktp": upload_png(),
        },
    )
    assert response.status_code == 302
    assert ProfileDocument.objects.filter(partner=new_owner.partner).count() == len(
        document_kinds(KIND)
    )


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda token: token[:-3] + "abc", id="tampered"),
        pytest.param(lambda token: "garbage", id="garbage"),
    ],
)
def test_a_forged_token_is_not_a_file(new_client, forge):
    kept = _tokens(_refused_once(new_client))

    html = new_client.post(
        EDIT,
        {
            "action": "submit",
            **form_data(KIND),
            "kept-doc_npwp": forge(kept["doc_npwp"]),
        },
    ).content.decode()

    assert "Dokumen NPWP perusahaan wajib diunggah." in html


def test_a_token_of_another_field_or_form_is_not_a_file(new_owner):
    stored = kept_uploads.kept_upload_store(
        partner_id=new_owner.partner_id,
        purpose="uat",
        field="doc_npwp",
        content=upload_png(),
        original_name="npwp.png",
    )
    for purpose, field in (("uat", "doc_ktp"), ("profile", "doc_npwp")):
        assert (
            kept_uploads.kept_upload_open(
                token=stored.token,
                partner_id=new_owner.partner_id,
                purpose=purpose,
                field=field,
            )
            is None
        )


def test_kept_files_expire_and_are_swept(new_client, new_owner):
    kept = _tokens(_refused_once(new_client))
    later = time.time() + kept_uploads.KEEP_SECONDS + 60

    assert kept_uploads.kept_uploads_sweep(now=time.time()) == 0
    assert kept_uploads.kept_uploads_sweep(now=later) == len(kept)
    assert _pending_files() == []
    html = new_client.post(
        EDIT,
        {"action": "submit", **form_data(KIND), "kept-doc_npwp": kept["doc_npwp"]},
    ).content.decode()
    assert "Dokumen NPWP perusahaan wajib diunggah." in html
