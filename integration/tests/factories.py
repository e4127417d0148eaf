"""Evidence files and shortcuts that bring a partner's product to a given point of the flow."""

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import PartnerFactory
from connections.tests.factories import ConnectionFactory
from integration import services
from integration.evidence import (
    INQUIRY_PATH,
    PAYMENT_PATH,
    SINGLE_PAYMENT_PATH,
)
from integration.models import UatEvidence
from openapi.models import ApiLog
from portal.lib.environments import Environment
from portal.lib.review import review_decide
from products.tests.factories import PartnerProductFactory

Kind = UatEvidence.Kind

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
REQUEST_LOG = (
    '{"productID":"100301","customerID":"530000000001","referenceID":"UJI0001"}'
)
RESPONSE_LOG = '{"rc":"00","description":"SUKSES"}'


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name="layar.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name="hasil-uat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def text_upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/plain")


def uat_form_data(code: str, *, inquiry: bool = True) -> dict:
    """A complete Tambah form: files for the document and screenshots, logs as files."""
    data = {
        "product": code,
        "document": pdf_upload(),
        "payment_request_file": text_upload("payment-request.json", REQUEST_LOG),
        "payment_response_text": RESPONSE_LOG,
        "payment_screenshot": png_upload(),
    }
    if inquiry:
        data |= {
            "inquiry_request_file": text_upload("inquiry-request.txt", REQUEST_LOG),
            "inquiry_response_file": text_upload("inquiry-response.json", RESPONSE_LOG),
            "inquiry_screenshot": png_upload(),
        }
    return data


def evidence(*, inquiry: bool = True) -> dict[str, services.Evidence]:
    items = {
        Kind.DOCUMENT: services.Evidence(file=ContentFile(PDF, name="document.pdf")),
        Kind.PAYMENT_REQUEST: services.Evidence(text=REQUEST_LOG),
        Kind.PAYMENT_RESPONSE: services.Evidence(text=RESPONSE_LOG),
        Kind.PAYMENT_SCREENSHOT: services.Evidence(
            file=ContentFile(png_bytes(), name="document.png")
        ),
    }
    if inquiry:
        items |= {
            Kind.INQUIRY_REQUEST: services.Evidence(text=REQUEST_LOG),
            Kind.INQUIRY_RESPONSE: services.Evidence(text=RESPONSE_LOG),
            Kind.INQUIRY_SCREENSHOT: services.Evidence(
                file=ContentFile(png_bytes(), name="document.png")
            ),
        }
    return items


def chosen(partner, product, **kwargs):
    return PartnerProductFactory(partner=partner, product=product, **kwargs)


def uat_filed(partner, product):
    """The product chosen and its UAT pending."""
    chosen(partner, product)
    return services.uat_request_submit(
        partner=partner,
        product=product,
        evidence=evidence(inquiry=not product.is_prepaid),
        actor=partner.owner,
    )


def uat_approved(partner, product, staff):
    uat = uat_filed(partner, product)
    review_decide(subject=uat, approve=True, actor=staff)
    uat.refresh_from_db()
    return uat


def production_ip(partner):
    return ConnectionFactory(
        partner=partner, environment=Environment.PRODUCTION, approved=True
    )


class ApiLogFactory(factory.django.DjangoModelFactory):
    """A row of the API log as the gateway writes it: by default a successful Development
    Inquiry of 100301. ``at`` sets its time (the log's own clock is ``auto_now_add``)."""

    class Meta:
        model = ApiLog
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.DEVELOPMENT
    username = factory.LazyAttribute(lambda o: f"{o.partner.code.lower()}.dev")
    method = "POST"
    path = INQUIRY_PATH
    ip = "203.0.113.10"
    http_status = 200
    rc = "00"
    reference_id = factory.Sequence(lambda n: f"UJI{n:05d}")
    product_code = "100301"
    duration_ms = 87
    request = factory.LazyAttribute(
        lambda o: {
            "sessionID": "0123456789abcdef0123456789abcdef",
            "merchantID": "MD0000000001",
            "productID": o.product_code,
            "customerID": "530000000001",
            "referenceID": o.reference_id,
        }
    )
    response = factory.LazyAttribute(
        lambda o: {
            "rc": o.rc,
            "description": "SUKSES" if o.rc == "00" else "GAGAL",
            "productID": o.product_code,
            "referenceID": o.reference_id,
            "data": {"idPelanggan": "530000000001", "nama": "Budi Santoso"},
        }
    )

    @factory.post_generation
    def at(self, create, extracted, **kwargs):
        if extracted is not None and create:
            ApiLog.objects.filter(pk=self.pk).update(created_at=extracted)
            self.created_at = extracted


def postpaid_calls(partner, code: str = "100301") -> list[ApiLog]:
    """A successful Inquiry and its Payment, as a postpaid UAT needs them."""
    inquiry = ApiLogFactory(partner=partner, product_code=code, reference_id="UJI-INQ1")
    payment = ApiLogFactory(
        partner=partner, product_code=code, path=PAYMENT_PATH, reference_id="UJI-INQ1"
    )
    return [inquiry, payment]


def prepaid_call(partner, code: str, rc: str = "00") -> ApiLog:
    return ApiLogFactory(
        partner=partner, product_code=code, path=SINGLE_PAYMENT_PATH, rc=rc
    )


def document_only() -> dict[str, services.Evidence]:
    """Only the UAT result document: the steps must be shown by attached calls."""
    return {Kind.DOCUMENT: evidence()[Kind.DOCUMENT]}
