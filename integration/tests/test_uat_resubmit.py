from integration.models import UatRequest
from integration.tests.factories import png_upload, uat_filed
from portal.lib.review import ReviewStatus, review_decide
from portal.models import AuditEvent
from products.models import PartnerProduct


def test_a_rejected_request_is_corrected_and_sent_again(
    owner_client,
    partner,
    staff,
    pln_postpaid,
    django_capture_on_commit_callbacks,
    settings,
):
    uat = uat_filed(partner, pln_postpaid)
    review_decide(
        subject=uat, approve=False, actor=staff, reason="Screenshot Payment buram."
    )
    old = uat.evidence.get(kind="payment_screenshot").file.name
    kept = uat.evidence.get(kind="document").file.name
    page = owner_client.get("/integrasi/").content.decode()
    assert "Screenshot Payment buram." in page
    assert f"/integrasi/uat/{uat.pk}/perbaiki/" in page
    form = owner_client.get(f"/integrasi/uat/{uat.pk}/perbaiki/").content.decode()
    assert "Sudah ada dari pengajuan sebelumnya" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/integrasi/uat/{uat.pk}/perbaiki/",
            {"product": "100301", "payment_screenshot": png_upload("baru.png")},
        )
    assert response.status_code == 302
    uat.refresh_from_db()
    assert (uat.review_status, uat.review_reason) == (ReviewStatus.PENDING, "")
    assert UatRequest.objects.count() == 1
    assert uat.evidence.get(kind="document").file.name == kept
    assert uat.evidence.get(kind="payment_screenshot").file.name != old
    assert not (settings.PRIVATE_STORAGE_ROOT / old).exists()
    assert PartnerProduct.objects.get().state == "uat_menunggu"
    assert AuditEvent.objects.filter(action="uat.submitted").count() == 2


def test_a_pending_request_cannot_be_edited(owner_client, partner, pln_postpaid):
    uat = uat_filed(partner, pln_postpaid)
    response = owner_client.get(f"/integrasi/uat/{uat.pk}/perbaiki/", follow=True)
    assert "tidak dapat diubah" in response.content.decode()
