from django.test import Client

from integration.models import LiveRequest, UatRequest
from integration.services import live_request_submit
from integration.tests.factories import production_ip, uat_approved, uat_filed
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent
from products.models import PartnerProduct

UAT_ADMIN = "/backoffice/integration/uatrequest/"
LIVE_ADMIN = "/backoffice/integration/liverequest/"


def _html_part(message) -> str:
    return message.alternatives[0][0]


def test_staff_approve_a_uat_with_the_list_action(
    partner, staff_client, pln_postpaid, mailoutbox, send
):
    uat = uat_filed(partner, pln_postpaid)
    response = send(
        staff_client.post,
        UAT_ADMIN,
        {"action": "review_approve", "_selected_action": [uat.pk]},
        follow=True,
    )
    assert "1 pengajuan disetujui." in response.content.decode()
    uat.refresh_from_db()
    assert uat.review_status == ReviewStatus.APPROVED
    assert PartnerProduct.objects.get().state == "uat_disetujui"
    assert AuditEvent.objects.filter(
        action="uat.approved", subject_id=str(uat.pk)
    ).exists()
    moved = AuditEvent.objects.get(
        action="partner_product.state_changed", after__state="uat_disetujui"
    )
    assert moved.actor.is_staff
    [mail] = mailoutbox
    assert mail.to == [partner.owner.email]
    assert mail.subject == "Request UAT disetujui: 100301 PLN Pascabayar"
    assert "Request Live" in mail.body
    assert "http://testserver/integrasi/" in mail.body
    assert "telah <strong>disetujui</strong>" in _html_part(mail)


def test_staff_reject_a_uat_with_a_reason_the_partner_reads(
    partner, owner, staff_client, pln_postpaid, mailoutbox, send
):
    uat = uat_filed(partner, pln_postpaid)
    send(
        staff_client.post,
        UAT_ADMIN,
        {
            "action": "review_reject",
            "_selected_action": [uat.pk],
            "reason": "Log response Inquiry terpotong.",
        },
    )
    uat.refresh_from_db()
    assert (uat.review_status, uat.review_reason) == (
        ReviewStatus.REJECTED,
        "Log response Inquiry terpotong.",
    )
    chosen = PartnerProduct.objects.get()
    assert (chosen.state, chosen.state_reason) == (
        "uat_ditolak",
        "Log response Inquiry terpotong.",
    )
    [mail] = mailoutbox
    assert mail.subject.startswith("Request UAT ditolak")
    assert "Alasan: Log response Inquiry terpotong." in mail.body
    assert "Log response Inquiry terpotong." in _html_part(mail)
    partner_client = Client()
    partner_client.force_login(owner)
    html = partner_client.get("/produk/produk-anda/").content.decode()
    assert "UAT ditolak" in html and "Log response Inquiry terpotong." in html


def test_approving_live_makes_the_product_aktif_and_reminds_of_the_deposit(
    partner, owner, staff, staff_client, pln_postpaid, mailoutbox, send
):
    uat = uat_approved(partner, pln_postpaid, staff)
    production_ip(partner)
    live = live_request_submit(uat_request=uat, actor=owner)
    mailoutbox.clear()
    page = staff_client.get(f"{LIVE_ADMIN}{live.pk}/change/").content.decode()
    assert f"/backoffice/integration/uatrequest/{uat.pk}/change/" in page
    send(staff_client.post, f"{LIVE_ADMIN}{live.pk}/review/", {"decision": "approve"})
    live.refresh_from_db()
    assert live.review_status == ReviewStatus.APPROVED
    assert PartnerProduct.objects.get().state == PartnerProduct.State.ACTIVE
    assert AuditEvent.objects.filter(action="live.approved").exists()
    [mail] = mailoutbox
    assert mail.subject == "Produk Aktif di Production: 100301 PLN Pascabayar"
    assert "top up deposit" in mail.body
    assert "top up deposit" in _html_part(mail)
    assert "http://testserver/produk/produk-anda/" in mail.body
    partner_client = Client()
    partner_client.force_login(owner)
    html = partner_client.get(
        "/produk/produk-anda/", {"state": "aktif"}
    ).content.decode()
    assert 'data-product="100301"' in html


def test_rejecting_live_keeps_the_product_out_of_production(
    partner, owner, staff, staff_client, pln_postpaid, mailoutbox, send
):
    uat = uat_approved(partner, pln_postpaid, staff)
    production_ip(partner)
    live = live_request_submit(uat_request=uat, actor=owner)
    send(
        staff_client.post,
        f"{LIVE_ADMIN}{live.pk}/review/",
        {"decision": "reject", "reason": "PKS belum ditandatangani."},
    )
    assert LiveRequest.objects.get().review_status == ReviewStatus.REJECTED
    assert PartnerProduct.objects.get().state == "live_ditolak"
    assert "PKS belum ditandatangani." in mailoutbox[-1].body


def test_the_review_page_shows_the_evidence_inline(partner, staff_client, pln_postpaid):
    uat = uat_filed(partner, pln_postpaid)
    text = uat.evidence.get(kind="payment_request")
    text.text = '{"note": "a & b"}'
    text.save()
    html = staff_client.get(f"{UAT_ADMIN}{uat.pk}/change/").content.decode()
    document = uat.evidence.get(kind="document")
    assert f"{UAT_ADMIN}{uat.pk}/bukti/{document.pk}/" in html
    assert "Unduh (PDF)" in html
    assert "<pre" in html and "{&quot;note&quot;: &quot;a &amp; b&quot;}" in html
    response = staff_client.get(f"{UAT_ADMIN}{uat.pk}/bukti/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = staff_client.get(f"{UAT_ADMIN}{uat.pk}/bukti/{text.pk}/")
    assert response.content == b'{"note": "a & b"}'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_partners_cannot_use_the_staff_download(owner_client, partner, pln_postpaid):
    uat = uat_filed(partner, pln_postpaid)
    document = uat.evidence.get(kind="document")
    response = owner_client.get(f"{UAT_ADMIN}{uat.pk}/bukti/{document.pk}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_decided_request_is_not_decided_twice(
    partner, staff_client, pln_postpaid, send
):
    uat = uat_filed(partner, pln_postpaid)
    for _click in range(2):
        send(staff_client.post, f"{UAT_ADMIN}{uat.pk}/review/", {"decision": "approve"})
    assert AuditEvent.objects.filter(action="uat.approved").count() == 1
    assert UatRequest.objects.get().review_status == ReviewStatus.APPROVED
