"""Small real files for the uploads: a scanned-looking PNG and a one-page PDF."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw


def scan_png(title: str) -> bytes:
    image = Image.new("RGB", (480, 300), (246, 246, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 467, 287), outline=(40, 70, 140), width=3)
    draw.text((30, 30), title, fill=(20, 20, 20))
    for row in range(6):
        y = 80 + row * 30
        draw.line((30, y, 300 + (row % 3) * 50, y), fill=(120, 120, 120), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def one_page_pdf(title: str) -> bytes:
    """A valid one-page PDF (cross-reference table included) showing ``title``."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
