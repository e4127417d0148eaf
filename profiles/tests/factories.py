"""Profile data and documents for tests: valid values a partner would type, and real files."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Partner
from profiles.models import document_kinds

# 31 DKI Jakarta · 74 · 01 · born 15-05-1990 · serial 0001
NIK_MALE = "3174011505900001"
# The same date for a woman: the day is stored plus 40.
NIK_FEMALE = "3174015505900001"
BIRTH_DATE = "1990-05-15"
NPWP_15 = "012345678901000"
NIB = "9120001234567"

PRIBADI_DATA = {
    "full_name": "Budi Santoso",
    "nik": NIK_MALE,
    "npwp": NPWP_15,
    "birth_place": "Jakarta",
    "birth_date": BIRTH_DATE,
    "address": "Jl. Merdeka No. 10, RT 01/RW 02",
    "city": "Jakarta Pusat",
    "province": "DKI Jakarta",
    "postal_code": "10110",
    "phone": "0812 3456 7890",
}
PERUSAHAAN_DATA = {
    "company_name": "PT Maju Jaya Digital",
    "business_form": "pt",
    "business_form_other": "",
    "nib": NIB,
    "npwp": "01.234.567.8-901.000",
    "address": "Jl. Sudirman Kav. 1",
    "city": "Jakarta Selatan",
    "province": "DKI Jakarta",
    "postal_code": "12190",
    "phone": "021 5551 2345",
    "website": "majujaya.co.id",
    "full_name": "Siti Rahmawati",
    "position": "Direktur Utama",
    "nik": NIK_FEMALE,
    "tech_name": "Andi Teknik",
    "tech_email": "Andi@MajuJaya.co.id",
    "tech_phone": "0813-1111-2222",
}


def png_bytes(size=(40, 30), color=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def upload_png(name="scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def upload_pdf(name="scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def form_data(kind: str, **overrides) -> dict:
    data = dict(PERUSAHAAN_DATA if kind == Partner.Kind.PERUSAHAAN else PRIBADI_DATA)
    data.update(overrides)
    return data


def form_files(kind: str) -> dict:
    """Every document of ``kind`` as an upload (PNG and PDF alternately)."""
    return {
        f"doc_{doc}": upload_png() if i % 2 == 0 else upload_pdf()
        for i, doc in enumerate(document_kinds(kind))
    }


def service_data(kind: str) -> dict:
    """What the form hands the service: normalised values."""
    from profiles.forms import ProfileForm

    form = ProfileForm(form_data(kind), partner_kind=kind, submit=False)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    return form.profile_data()


def service_documents(kind: str) -> dict:
    return {
        doc: ContentFile(png_bytes(), name="document.png")
        for doc in document_kinds(kind)
    }
