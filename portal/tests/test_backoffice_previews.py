"""Documents are previewed inline in the back-office (images as they are, a PDF's first page
as PNG), through staff-only views: a partner or a stranger never gets the file."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from accounts.models import Partner
from accounts.tests.factories import PartnerFactory, UserFactory
from billing.tests.factories import TopUpFactory
from integration.models import UatEvidence
from integration.tests.factories import uat_filed
from products.tests.factories import ProductFactory
from profiles.tests.conftest import submit_profile
from profiles.tests.factories import pdf_bytes as empty_pdf_bytes
from profiles.tests.factories import png_bytes


def one_page_pdf(size=(595, 842)) -> bytes:
    """A real A4 PDF of one page (a scanned document as a PDF)."""
    out = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(out, format="PDF")
    return out.getvalue()


def _topup(partner, data: bytes, name: str):
    topup = TopUpFactory(partner=partner)
    topup.proof.save(name, ContentFile(data), save=True)
    return topup


def _preview_url(topup) -> str:
    return reverse("admin:billing_topup_preview", args=[topup.pk])


def test_an_image_proof_is_shown_inline_to_staff(staff_client, partner):
    topup = _topup(partner, png_bytes(), "bukti.png")

    page = staff_client.get(f"/backoffice/billing/topup/{topup.pk}/change/")
    preview = staff_client.get(_preview_url(topup))

    assert f'<img src="{_preview_url(topup)}"' in page.content.decode()
    assert preview.status_code == 200
    assert preview["Content-Type"] == "image/png"
    assert "attachment" not in preview.get("Content-Disposition", "")
    assert preview["X-Content-Type-Options"] == "nosniff"
    assert preview.content == topup.proof.open("rb").read()


def test_a_pdf_proof_is_previewed_as_the_png_of_its_first_page(staff_client, partner):
    topup = _topup(partner, one_page_pdf(), "bukti.pdf")

    preview = staff_client.get(_preview_url(topup))

    assert preview.status_code == 200
    assert preview["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(preview.content))
    assert image.format == "PNG"
    # Scaled to the preview box, keeping the A4 proportions.
    assert image.size[0] <= 1000 and image.size[1] <= 1414
    assert abs(image.size[1] / image.size[0] - 842 / 595) < 0.01


def test_a_pdf_without_pages_has_no_preview(staff_client, partner):
    topup = _topup(partner, empty_pdf_bytes(), "bukti.pdf")

    assert staff_client.get(_preview_url(topup)).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "owner", "outsider"])
def test_previews_are_for_staff_only(client, partner, outsider, who):
    topup = _topup(partner, png_bytes(), "bukti.png")
    if who != "anonymous":
        client.force_login(partner.owner if who == "owner" else outsider)

    response = client.get(_preview_url(topup))

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")
    assert not response.get("Content-Type", "").startswith("image/")


def _new_partner_owner():
    return UserFactory(
        partner=PartnerFactory(
            kind=Partner.Kind.PERUSAHAAN, status=Partner.Status.INCOMPLETE
        )
    )


def test_profile_documents_are_previewed_on_the_submission(staff_client, db):
    submission = submit_profile(_new_partner_owner())
    document = submission.profile.documents.first()
    url = reverse(
        "admin:profiles_profilesubmission_preview",
        args=[submission.pk, document.pk],
    )

    page = staff_client.get(
        f"/backoffice/profiles/profilesubmission/{submission.pk}/change/"
    )
    preview = staff_client.get(url)

    assert f'<img src="{url}"' in page.content.decode()
    assert (preview.status_code, preview["Content-Type"]) == (200, "image/png")


def test_a_document_of_another_profile_is_not_previewed(staff_client, db):
    first = submit_profile(_new_partner_owner())
    other = submit_profile(_new_partner_owner())
    foreign = other.profile.documents.first()

    response = staff_client.get(
        reverse(
            "admin:profiles_profilesubmission_preview",
            args=[first.pk, foreign.pk],
        )
    )

    assert response.status_code == 404


def test_uat_screenshots_are_previewed_on_the_request(staff_client, partner):
    uat = uat_filed(partner, ProductFactory())
    screenshot = uat.evidence.get(kind=UatEvidence.Kind.PAYMENT_SCREENSHOT)
    url = reverse("admin:integration_uatrequest_preview", args=[uat.pk, screenshot.pk])

    page = staff_client.get(f"/backoffice/integration/uatrequest/{uat.pk}/change/")
    preview = staff_client.get(url)

    assert f'<img src="{url}"' in page.content.decode()
    assert (preview.status_code, preview["Content-Type"]) == (200, "image/png")
