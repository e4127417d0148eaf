from integration.models import UatEvidence, UatRequest
from integration.tests.factories import REQUEST_LOG, RESPONSE_LOG, chosen, uat_form_data
from portal.lib.review import ReviewStatus
from portal.models import AuditEvent
from products.models import PartnerProduct


def test_the_form_offers_only_chosen_products_without_a_uat(
    owner_client, partner, pln_postpaid, pln_token, telkomsel
):
    chosen(partner, pln_postpaid)
    chosen(partner, pln_token, state=PartnerProduct.State.UAT_PENDING)
    html = owner_client.get("/integrasi/uat/tambah/").content.decode()
    assert 'value="100301"' in html
    assert 'value="100312"' not in html
    assert 'value="501021"' not in html
    assert "template-uat-inquiry.csv" in html and "template-uat-payment.csv" in html


def test_choosing_a_category_narrows_the_products(
    owner_client, partner, pln_postpaid, telkomsel
):
    chosen(partner, pln_postpaid)
    chosen(partner, telkomsel)
    html = owner_client.get(
        "/integrasi/uat/produk/",
        {"category": "pulsa-prabayar"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'value="501021"' in html
    assert 'value="100301"' not in html


def test_a_complete_request_is_stored_and_waits_for_approval(
    owner_client, partner, pln_postpaid
):
    chosen(partner, pln_postpaid)
    response = owner_client.post(
        "/integrasi/uat/tambah/", uat_form_data("100301"), follow=True
    )
    html = response.content.decode()
    assert "Data berhasil disimpan. Request UAT menunggu approval." in html
    assert "Menunggu approval" in html
    uat = UatRequest.objects.get()
    assert (uat.partner, uat.product, uat.review_status) == (
        partner,
        pln_postpaid,
        ReviewStatus.PENDING,
    )
    evidence = {item.kind: item for item in uat.evidence.all()}
    assert len(evidence) == 7
    assert evidence["document"].file.name.startswith(f"uat/{partner.pk}/")
    assert evidence["document"].file.name.endswith(".pdf")
    assert evidence["inquiry_request"].file.read().decode() == REQUEST_LOG
    assert evidence["payment_response"].text == RESPONSE_LOG
    assert PartnerProduct.objects.get().state == "uat_menunggu"
    assert AuditEvent.objects.filter(action="uat.submitted").exists()


def test_a_postpaid_product_needs_the_inquiry_evidence(
    owner_client, partner, pln_postpaid
):
    chosen(partner, pln_postpaid)
    response = owner_client.post(
        "/integrasi/uat/tambah/", uat_form_data("100301", inquiry=False)
    )
    html = response.content.decode()
    assert "Lengkapi dokumen UAT: Log Request Inquiry, Log Response Inquiry" in html
    assert "Wajib diisi untuk produk ini." in html
    assert not UatRequest.objects.exists()
    assert not UatEvidence.objects.exists()
    assert PartnerProduct.objects.get().state == "development"


def test_a_prepaid_product_needs_no_inquiry(owner_client, partner, telkomsel):
    chosen(partner, telkomsel)
    response = owner_client.post(
        "/integrasi/uat/tambah/", uat_form_data("501021", inquiry=False)
    )
    assert response.status_code == 302
    assert UatRequest.objects.get().evidence.count() == 4


def test_a_log_is_given_one_way_only(owner_client, partner, telkomsel):
    chosen(partner, telkomsel)
    data = uat_form_data("501021", inquiry=False) | {
        "payment_request_text": REQUEST_LOG
    }
    html = owner_client.post("/integrasi/uat/tambah/", data).content.decode()
    assert "Pilih salah satu: unggah file log atau tempel teksnya." in html
    # What was typed stays in the form.
    assert "UJI0001" in html
    assert not UatRequest.objects.exists()


def test_the_product_must_be_in_the_chosen_category(owner_client, partner, telkomsel):
    chosen(partner, telkomsel)
    data = uat_form_data("501021", inquiry=False) | {"category": "listrik"}
    html = owner_client.post("/integrasi/uat/tambah/", data).content.decode()
    assert "tidak dapat diajukan UAT" in html
    assert not UatRequest.objects.exists()
