"""Demo data for `make run`: for each active demo partner (`demo_partners`), PLN token 20rb goes
all the way to Aktif (UAT and live approved by the staff reviewer) and PLN postpaid waits for
UAT approval, so the back-office has something to review. Safe to run twice."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from accounts.management.commands.seed_demo import demo_partners
from accounts.models import User
from integration import selectors, services
from integration.models import UatEvidence, UatRequest
from portal.lib.review import review_decide
from products.models import PartnerProduct, Product

LIVE_CODE = "100312"
PENDING_CODE = "100301"


def _png() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (240, 244, 250)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name="document.png")


def _evidence(product: Product) -> dict[str, services.Evidence]:
    request = (
        f'{{"productID":"{product.code}","customerID":"530000000001",'
        f'"referenceID":"DEMO{product.code}"}}'
    )
    response = '{"rc":"00","description":"SUKSES"}'
    items = {
        UatEvidence.Kind.DOCUMENT: services.Evidence(file=_png()),
        UatEvidence.Kind.PAYMENT_REQUEST: services.Evidence(text=request),
        UatEvidence.Kind.PAYMENT_RESPONSE: services.Evidence(text=response),
        UatEvidence.Kind.PAYMENT_SCREENSHOT: services.Evidence(file=_png()),
    }
    if not product.is_prepaid:
        items[UatEvidence.Kind.INQUIRY_REQUEST] = services.Evidence(text=request)
        items[UatEvidence.Kind.INQUIRY_RESPONSE] = services.Evidence(text=response)
        items[UatEvidence.Kind.INQUIRY_SCREENSHOT] = services.Evidence(file=_png())
    return items


def seed(stdout) -> None:
    reviewer = User.objects.filter(is_staff=True, partner__isnull=True).earliest("pk")
    products = {
        p.code: p for p in Product.objects.filter(code__in=[LIVE_CODE, PENDING_CODE])
    }
    filed = 0
    for partner in demo_partners():
        owner = partner.owner
        for code, product in products.items():
            state = PartnerProduct.objects.filter(
                partner=partner, product=product
            ).first()
            if state is None or state.state != PartnerProduct.State.DEVELOPMENT:
                continue
            if UatRequest.objects.filter(partner=partner, product=product).exists():
                continue
            uat = services.uat_request_submit(
                partner=partner,
                product=product,
                evidence=_evidence(product),
                actor=owner,
            )
            filed += 1
            if code != LIVE_CODE:
                continue
            review_decide(subject=uat, approve=True, actor=reviewer)
            if selectors.production_ip_approved(partner=partner):
                live = services.live_request_submit(uat_request=uat, actor=owner)
                review_decide(subject=live, approve=True, actor=reviewer)
    stdout.write(f"Integrasi demo: {filed} Request UAT dibuat.")
