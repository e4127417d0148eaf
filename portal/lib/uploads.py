"""Uploaded documents: checked by content, size-limited, images re-encoded, stored under
server-made names outside every URL space, and served only by views that checked the partner.

Use ``DocumentField`` in forms, ``private_storage`` and ``private_upload_to("<folder>")`` on
model FileFields, and ``serve_private_file`` in the view that hands a file out.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zlib
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 8000
MAX_IMAGE_PIXELS = 40_000_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
# Markup that must never be inside a document a browser might be tricked into rendering.
# Event handlers are named one by one: a pattern as loose as ``on\w+=`` would match the
# random bytes of compressed streams in ordinary PDFs now and then.
_MARKUP = re.compile(
    rb"<\s*(html|script|svg|iframe|body|object|embed|img|a\s+href)\b"
    rb"|\bon(error|load|click|mouseover|focus|begin)\s*="
    rb"|javascript:",
    re.IGNORECASE,
)
# PDF names that run code, act on their own or carry other files. Names may be written
# with #xx escapes (``/J#61vaScript``), so they are compared after decoding.
_PDF_ACTIVE_NAMES = frozenset(
    {
        b"JS",
        b"JavaScript",
        b"AA",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
    }
)
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
# ``/OpenAction [page /Fit]`` only says where the document opens (LibreOffice and Word
# write it); any other value is an action run when the file is opened.
_PDF_OPEN_ACTION = re.compile(rb"/OpenAction(?!\s*\[)")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# Decompressing is capped, so that a small file cannot expand into gigabytes; scans are
# mostly JPEG inside (not inflated), so an honest document stays far below the limit.
_PDF_INFLATE_LIMIT = 100 * 1024 * 1024
_PDF_INFLATE_PIECE = 4 * 1024 * 1024
_PDF_SEAM = 256
_PDF_WINDOW = 64 * 1024


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at PRIVATE_STORAGE_ROOT, read at use time, with no URL."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_STORAGE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(
            "Private files have no URL; serve them through a checking view."
        )


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


@deconstructible
class private_upload_to:  # noqa: N801 - used like a function in model fields
    """Server-made names: ``<folder>/<partner id>/<random>.<ext>``; the partner's file name is
    never used on disk."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        ext = Path(filename).suffix.lower().lstrip(".") or "bin"
        partner_id = getattr(instance, "partner_id", None) or "0"
        return f"{self.folder}/{partner_id}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.folder == self.folder


def _png_trailing_data(data: bytes) -> bool:
    end = data.rfind(b"IEND")
    # IEND is followed by its 4-byte CRC; anything after that is not part of the image.
    return end == -1 or len(data) > end + 8


def _jpeg_trailing_data(data: bytes) -> bool:
    end = data.rfind(b"\xff\xd9")
    return end == -1 or len(data[end + 2 :].strip(b"\x00")) > 0


def _pixels_only(image: Image.Image, kind: str) -> Image.Image:
    """A new image made of the pixels of ``image`` and nothing else.

    Pillow carries what it read besides the pixels (JPEG comment segments, EXIF, PNG text
    chunks, ICC profiles) into what it saves, and any of it may hold markup; a copy built
    from the raw pixel bytes has no such metadata. A photo's EXIF orientation is applied to
    the pixels first, so the scan stays the right way up once the tag is gone."""
    upright = ImageOps.exif_transpose(image)
    if kind == "jpg":
        mode = "RGB"
    elif upright.mode in ("LA", "PA") or "transparency" in upright.info:
        mode = "RGBA"  # transparency kept in the pixels, not in a chunk of its own
    elif upright.mode in ("1", "L", "I;16", "RGB", "RGBA"):
        mode = upright.mode
    else:
        mode = "RGB"
    converted = upright.convert(mode) if upright.mode != mode else upright
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _reencode_image(data: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if (
                width > MAX_IMAGE_SIDE
                or height > MAX_IMAGE_SIDE
                or width * height > MAX_IMAGE_PIXELS
            ):
                raise forms.ValidationError(
                    _(
                        "Ukuran gambar terlalu besar (%(w)s × %(h)s piksel). Maksimal "
                        "%(max)s piksel per sisi."
                    )
                    % {"w": width, "h": height, "max": MAX_IMAGE_SIDE},
                    code="image_too_large",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            pixels = _pixels_only(image, kind)
            out = io.BytesIO()
            if kind == "png":
                pixels.save(out, format="PNG", optimize=True)
            else:
                pixels.save(out, format="JPEG", quality=90)
            return out.getvalue()
    except forms.ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise forms.ValidationError(
            _("Gambar rusak atau tidak dapat dibaca."), code="image_broken"
        ) from exc


class _PdfTooDeep(Exception):
    """The compressed streams of a PDF inflate to more than ``_PDF_INFLATE_LIMIT``."""


def _pdf_inflated_streams(data: bytes):
    """The content of every Flate-compressed stream of ``data``, in pieces of at most
    ``_PDF_INFLATE_PIECE`` bytes (each repeating the end of the one before, so that
    nothing is missed at a seam). Object streams hide dictionaries (actions included) this
    way, and page content hides text. Raises ``_PdfTooDeep`` past the limit: stopping there
    and accepting the file would let a big stream hide a later one."""
    view = memoryview(data)
    inflated = 0
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        tail = b""
        # The input is fed in small windows: zlib copies what it has not used, and the
        # rest of a 5 MB file after each of its many streams would add up.
        for start in range(match.end(), len(data), _PDF_WINDOW):
            pending = view[start : start + _PDF_WINDOW]
            try:
                while pending and not inflater.eof:
                    piece = inflater.decompress(pending, _PDF_INFLATE_PIECE)
                    inflated += len(piece)
                    if inflated > _PDF_INFLATE_LIMIT:
                        raise _PdfTooDeep
                    if piece:
                        yield tail + piece
                        tail = piece[-_PDF_SEAM:]
                    pending = inflater.unconsumed_tail
            except zlib.error:
                break  # not Flate (or damaged): its raw bytes were checked already
            if inflater.eof:
                break


def _pdf_danger_in(data: bytes) -> str | None:
    if _MARKUP.search(data):
        return _("file PDF berisi kode HTML/skrip")
    names = {
        re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes.fromhex(m[1].decode()), name)
        for name in _PDF_NAME.findall(data)
    }
    if names & _PDF_ACTIVE_NAMES or _PDF_OPEN_ACTION.search(data):
        return _("file PDF berisi JavaScript, aksi otomatis atau file sisipan")
    return None


def _pdf_danger(data: bytes) -> str | None:
    """Why the PDF ``data`` is refused, or None: HTML-ish markup, JavaScript, actions run
    on their own, embedded files or forms of other programs, in the raw bytes or in a
    compressed stream."""
    why = _pdf_danger_in(data)
    if why:
        return why
    try:
        for inflated in _pdf_inflated_streams(data):
            why = _pdf_danger_in(inflated)
            if why:
                return why
    except _PdfTooDeep:
        return _(
            "isi file PDF terlalu besar untuk diperiksa; simpan ulang sebagai PDF hasil "
            "scan yang lebih kecil atau unggah gambar JPG/PNG"
        )
    return None


def check_document(
    upload, *, allowed: tuple[str, ...] = ("jpg", "png", "pdf")
) -> ContentFile:
    """Return a safe copy of ``upload`` (named ``<kind>``), or raise ValidationError.

    The type comes from the content, never the name or the browser's content type.
    """
    allowed_text = ", ".join(kind.upper() for kind in allowed)
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("Ukuran file maksimal 5 MB (file ini %(size).1f MB).")
            % {"size": upload.size / (1024 * 1024)},
            code="too_big",
        )
    if upload.size == 0:
        raise forms.ValidationError(_("File kosong."), code="empty")
    upload.seek(0)
    data = upload.read()
    if data.startswith(PNG_SIGNATURE) and "png" in allowed:
        kind = "png"
        if _png_trailing_data(data):
            raise _refused(
                allowed_text, _("ada data tambahan setelah akhir gambar PNG")
            )
        content = _reencode_image(data, kind)
    elif data.startswith(JPEG_SIGNATURE) and "jpg" in allowed:
        kind = "jpg"
        if _jpeg_trailing_data(data):
            raise _refused(
                allowed_text, _("ada data tambahan setelah akhir gambar JPG")
            )
        content = _reencode_image(data, kind)
    elif data.startswith(PDF_SIGNATURE) and "pdf" in allowed:
        kind = "pdf"
        if b"%%EOF" not in data[-2048:]:
            raise _refused(allowed_text, _("file PDF tidak lengkap"))
        why = _pdf_danger(data)
        if why:
            raise _refused(allowed_text, why)
        content = data
    else:
        raise _refused(
            allowed_text, _("isi file bukan %(types)s") % {"types": allowed_text}
        )
    return ContentFile(content, name=f"document.{kind}")


def _refused(allowed_text: str, why: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("File ditolak: %(why)s. Unggah file %(types)s yang asli, maksimal 5 MB.")
        % {"why": why, "types": allowed_text},
        code="bad_type",
    )


class DocumentField(forms.FileField):
    """A form field for a scanned document: JPG, PNG or PDF, at most 5 MB, checked by content."""

    default_help_text = gettext_lazy("JPG, PNG atau PDF, maksimal 5 MB.")

    def __init__(self, *args, allowed=("jpg", "png", "pdf"), **kwargs):
        self.allowed = allowed
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault(
            "accept",
            ",".join(f".{k}" for k in allowed) + (",.jpeg" if "jpg" in allowed else ""),
        )

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if cleaned and cleaned is not initial and hasattr(cleaned, "read"):
            return check_document(cleaned, allowed=self.allowed)
        return cleaned


def serve_private_file(fieldfile, *, download_name: str) -> FileResponse:
    """Hand out a stored document as an attachment; call only after checking the partner."""
    ext = Path(fieldfile.name).suffix.lower()
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=f"{slugify(download_name) or 'dokumen'}{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
