"""Inline previews of private documents for the back-office: images as they are, the first
page of a PDF rendered to PNG by PDFium (pypdfium2).

The files stay private: ``preview_response`` is called only by staff-only admin views (wrapped
in ``admin_site.admin_view``), and ``preview_html`` links to those views, never to a file URL.
Uploads were checked and images re-encoded when they came in (``portal.lib.uploads``), so the
stored extension tells the type.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pypdfium2 as pdfium
from django.http import Http404, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
PDF_SUFFIX = ".pdf"
# The rendered page fits in this box (a scanned A4 page stays readable at 1000 px wide).
PREVIEW_MAX_WIDTH = 1000
PREVIEW_MAX_HEIGHT = 1414
# PDFium is not thread-safe; one rendering at a time per process.
_PDFIUM_LOCK = threading.Lock()


def previewable(fieldfile) -> bool:
    suffix = Path(fieldfile.name or "").suffix.lower()
    return suffix in IMAGE_TYPES or suffix == PDF_SUFFIX


def preview_html(url: str, fieldfile, *, alt: str) -> str:
    """An inline preview linking to the full-size preview, or "" for a type not shown."""
    if not fieldfile or not previewable(fieldfile):
        return ""
    return format_html(
        '<a href="{}" target="_blank" rel="noopener" class="bo-preview">'
        '<img src="{}" alt="{}" loading="lazy"></a>',
        url,
        url,
        alt,
    )


def render_pdf_first_page(data: bytes) -> bytes:
    """The first page of a PDF as PNG bytes, scaled to fit the preview box.

    Raises ``ValueError`` for a file PDFium cannot open or one without pages."""
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ValueError(str(exc)) from exc
        try:
            if len(document) == 0:
                raise ValueError("PDF tanpa halaman")
            page = document[0]
            width, height = page.get_size()  # in points
            if width <= 0 or height <= 0:
                raise ValueError("halaman PDF tanpa ukuran")
            scale = min(PREVIEW_MAX_WIDTH / width, PREVIEW_MAX_HEIGHT / height)
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _image_response(body: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Private to the staff member's browser; kept a while so list and page reuse it.
    response["Cache-Control"] = "private, max-age=600"
    return response


def preview_response(fieldfile) -> HttpResponse:
    """The preview of a stored document (inline image); 404 when there is none to show."""
    if not fieldfile or not previewable(fieldfile):
        raise Http404(_("Pratinjau tidak tersedia untuk file ini."))
    suffix = Path(fieldfile.name).suffix.lower()
    try:
        with fieldfile.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    if suffix in IMAGE_TYPES:
        return _image_response(data, IMAGE_TYPES[suffix])
    try:
        png = render_pdf_first_page(data)
    except ValueError:
        raise Http404(_("PDF tidak dapat ditampilkan.")) from None
    return _image_response(png, "image/png")
