"""Every refused upload of the profile form, through the page a partner uses."""

import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from profiles.models import ProfileDocument
from profiles.tests.factories import pdf_bytes, png_bytes

EDIT = "/profil/data/ubah/"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims a huge image (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


@pytest.fixture
def upload(client, new_owner):
    client.force_login(new_owner)

    def post(name: str, content: bytes, content_type: str):
        return client.post(
            EDIT,
            {
                "action": "draft",
                "doc_ktp": SimpleUploadedFile(name, content, content_type=content_type),
            },
        )

    return post


def _refused(response, text: str) -> None:
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not ProfileDocument.objects.exists()


def test_html_named_pdf_is_refused(upload):
    response = upload(
        "ktp.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    _refused(response, "File ditolak: isi file bukan JPG, PNG, PDF.")


def test_pdf_carrying_html_is_refused(upload):
    content = pdf_bytes().replace(b"trailer", b"<script>alert(1)</script>\ntrailer")
    _refused(
        upload("ktp.pdf", content, "application/pdf"),
        "File ditolak: file PDF berisi kode HTML/skrip.",
    )


def test_png_with_html_appended_is_refused(upload):
    content = png_bytes() + b"<html><body><script>alert(1)</script></body></html>"
    _refused(
        upload("ktp.png", content, "image/png"),
        "ada data tambahan setelah akhir gambar PNG",
    )


def test_svg_is_refused(upload):
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>"
    )
    _refused(upload("ktp.svg", svg, "image/svg+xml"), "isi file bukan JPG, PNG, PDF")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_declaring_ten_thousand_pixels_a_side_is_refused(upload):
    response = upload("ktp.png", png_declaring(10_000, 10_000), "image/png")
    _refused(response, "Ukuran gambar terlalu besar (10000 × 10000 piksel).")


def test_file_over_five_megabytes_is_refused(upload):
    content = pdf_bytes() + b"%" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"
    _refused(upload("ktp.pdf", content, "application/pdf"), "Ukuran file maksimal 5 MB")


def test_a_renamed_executable_is_refused(upload):
    _refused(
        upload("ktp.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg"),
        "isi file bukan JPG, PNG, PDF",
    )


def test_a_real_png_is_stored_re_encoded_under_a_server_made_name(upload, new_owner):
    response = upload("../../etc/KTP saya.png", png_bytes(), "image/png")
    assert response.status_code == 302
    document = ProfileDocument.objects.get()
    assert document.kind == "ktp" and document.status == "current"
    assert document.file.name.startswith(f"profiles/{new_owner.partner_id}/")
    assert document.file.name.endswith(".png")
    assert "KTP" not in document.file.name
    path = settings.PRIVATE_STORAGE_ROOT / document.file.name
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_real_pdf_is_stored(upload):
    response = upload("ktp.pdf", pdf_bytes(), "application/pdf")
    assert response.status_code == 302
    assert ProfileDocument.objects.get().file.name.endswith(".pdf")
