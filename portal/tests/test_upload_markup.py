"""Stored documents carry no markup: images are re-encoded from their pixels alone (no
JPEG comment, EXIF or PNG text survives), and a PDF with HTML, JavaScript, actions run on
opening or embedded files is refused, also when it hides them in a compressed stream."""

import io
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from portal.lib.uploads import check_document
from profiles.tests.factories import pdf_bytes

SCRIPT = b"<script>alert(1)</script>"


def _stored(content: bytes, name: str) -> bytes:
    return check_document(SimpleUploadedFile(name, content)).read()


def _jpeg(**save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG", **save_options)
    return out.getvalue()


def _png(image=None, **save_options) -> bytes:
    out = io.BytesIO()
    (image or Image.new("RGB", (40, 30), (20, 120, 200))).save(
        out, format="PNG", **save_options
    )
    return out.getvalue()


def _exif(**tags) -> bytes:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[{"description": 0x010E, "orientation": 0x0112}[tag]] = value
    return exif.tobytes()


def test_a_jpeg_comment_segment_is_not_stored():
    content = _jpeg(comment=SCRIPT)
    assert SCRIPT in content  # the comment really is in the upload

    stored = _stored(content, "ktp.jpg")

    assert SCRIPT not in stored
    assert b"\xff\xfe" not in stored  # no COM segment at all
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30)
        assert "comment" not in image.info


def test_jpeg_exif_is_not_stored_and_its_orientation_is_applied():
    content = _jpeg(exif=_exif(description=SCRIPT.decode(), orientation=6))
    assert SCRIPT in content

    stored = _stored(content, "ktp.jpg")

    assert SCRIPT not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "exif" not in image.info
        # Orientation 6 (turned 90°): the stored pixels are the upright scan.
        assert image.size == (30, 40)


def test_png_text_chunks_are_not_stored():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SCRIPT.decode())
    text.add_text("Description", '<img src=x onerror="alert(1)">', zip=True)
    text.add_itxt("Title", "<svg onload=alert(1)>")
    content = _png(pnginfo=text)
    assert SCRIPT in content

    stored = _stored(content, "ktp.png")

    assert SCRIPT not in stored
    for chunk in (b"tEXt", b"zTXt", b"iTXt"):
        assert chunk not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.text == {}


def test_a_transparent_palette_png_keeps_its_transparency():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    image.putpixel((0, 0), 1)

    stored = _stored(_png(image, transparency=0), "ktp.png")

    with Image.open(io.BytesIO(stored)) as reread:
        assert reread.mode == "RGBA"
        assert reread.getpixel((1, 1))[3] == 0
        assert reread.getpixel((0, 0)) == (0, 0, 0, 255)


def _pdf_with(extra: bytes) -> bytes:
    return pdf_bytes().replace(b"trailer", extra + b"\ntrailer")


def _object_stream(objects: bytes) -> bytes:
    packed = zlib.compress(b"5 0 " + objects)
    return (
        b"6 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj"
    )


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        (b"3 0 obj\n(<img src=x onerror=alert(1)>)\nendobj", "kode HTML/skrip"),
        (b"3 0 obj\n(<IMG SRC=x OnError = alert(1)>)\nendobj", "kode HTML/skrip"),
        (b"3 0 obj\n(<svg/onload=alert(1)>)\nendobj", "kode HTML/skrip"),
        (
            b"3 0 obj\n<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>\nendobj",
            "JavaScript",
        ),
        (b"3 0 obj\n<< /S /J#61vaScript /JS (app.alert(1)) >>\nendobj", "JavaScript"),
        (b"3 0 obj\n<< /OpenAction 4 0 R >>\nendobj", "aksi otomatis"),
        (b"3 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj", "aksi otomatis"),
        (b"3 0 obj\n<< /AA << /O 4 0 R >> >>\nendobj", "aksi otomatis"),
        (b"3 0 obj\n<< /Names << /EmbeddedFiles 4 0 R >> >>\nendobj", "sisipan"),
        (b"3 0 obj\n<< /AcroForm << /XFA 4 0 R >> >>\nendobj", "JavaScript"),
        (_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
        (_object_stream(b"(<img src=x onerror=alert(1)>)"), "kode HTML/skrip"),
    ],
)
def test_a_pdf_with_markup_or_active_content_is_refused(extra, why):
    with pytest.raises(forms.ValidationError) as refused:
        _stored(_pdf_with(extra), "ktp.pdf")

    message = refused.value.messages[0]
    assert message.startswith("File ditolak: file PDF berisi ")
    assert why in message


def test_a_pdf_whose_streams_inflate_beyond_the_limit_is_refused():
    bomb = zlib.compress(b"\x00" * (101 * 1024 * 1024), 9)
    extra = b"3 0 obj\n<< /Length 1 >>\nstream\n" + bomb + b"\nendstream\nendobj"

    with pytest.raises(forms.ValidationError) as refused:
        _stored(_pdf_with(extra), "ktp.pdf")

    assert "terlalu besar untuk diperiksa" in refused.value.messages[0]


def test_an_ordinary_pdf_with_compressed_pages_and_an_opening_view_is_stored():
    page = zlib.compress(b"BT /F1 12 Tf 72 712 Td (NPWP 01.234.567.8-901.000) Tj ET")
    extra = (
        b"3 0 obj\n<< /Type /Catalog /OpenAction [4 0 R /Fit] >>\nendobj\n"
        b"4 0 obj\n<< /Length "
        + str(len(page)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + page
        + b"\nendstream\nendobj"
    )
    content = _pdf_with(extra)

    assert _stored(content, "npwp.pdf") == content
