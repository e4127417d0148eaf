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
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 8000
MAX_IMAGE_PIXELS = 40_000_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
# Markup that must never be inside a document a browser might be tricked into rendering.
_MARKUP = re.compile(
    rb"<\s*(html|script|svg|iframe|body|object|embed)\b", re.IGNORECASE
)


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
            out = io.BytesIO()
            if kind == "png":
                image.save(out, format="PNG", optimize=True)
            else:
                image.convert("RGB").save(out, format="JPEG", quality=90)
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
        if _MARKUP.search(data):
            raise _refused(allowed_text, _("file PDF berisi kode HTML/skrip"))
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
