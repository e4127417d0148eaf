"""Attaching Development calls from the API log to a Request UAT through the form."""

import pytest

from integration.evidence import PAYMENT_PATH, SINGLE_PAYMENT_PATH
from integration.models import UatEvidenceCall, UatRequest
from integration.tests.factories import (
    ApiLogFactory,
    chosen,
    pdf_upload,
    postpaid_calls,
)
from openapi.models import ApiLog
from portal.lib.environments import Environment
from portal.lib.review import review_decide
from portal.models import AuditEvent
from products.models import PartnerProduct

ADD = "/integrasi/uat/tambah/"


def _post(client, code, calls, **extra):
    data = {"product": code, "document": pdf_upload(), "api_calls": calls, **extra}
    return client.post(ADD, data)


def test_own_calls_are_attached_as_frozen_copies(owner_client, partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    inquiry, payment = postpaid_calls(partner)
    response = _post(owner_client, "100301", [inquiry.pk, payment.pk])
    assert response.status_code == 302
    uat = UatRequest.objects.get()
    assert PartnerProduct.objects.get().state == "uat_menunggu"
    copies = {call.api_log_id: call for call in uat.api_calls.all()}
    assert set(copies) == {inquiry.pk, payment.pk}
    copy = copies[inquiry.pk]
    assert (copy.path, copy.rc, copy.reference_id, copy.ip, copy.duration_ms) == (
        inquiry.path,
        "00",
        "UJI-INQ1",
        "203.0.113.10",
        87,
    )
    assert copy.called_at == inquiry.created_at
    assert copy.request == inquiry.request and copy.response == inquiry.response
    event = AuditEvent.objects.get(action="uat.api_calls_changed")
    assert sorted(event.after["api_logs"]) == sorted([inquiry.pk, payment.pk])


def test_the_copy_outlives_the_pruned_log(owner_client, partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    calls = postpaid_calls(partner)
    _post(owner_client, "100301", [call.pk for call in calls])
    ApiLog.objects.all().delete()
    uat = UatRequest.objects.get()
    copy = uat.api_calls.get(path=PAYMENT_PATH)
    assert copy.api_log_id is None and copy.reference_id == "UJI-INQ1"
    html = owner_client.get(f"/integrasi/uat/{uat.pk}/").content.decode()
    assert "Panggilan API Development yang dilampirkan" in html
    assert "Payment" in html and "530000000001" in html


def test_the_detail_page_shows_the_attached_calls(owner_client, partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    inquiry, payment = postpaid_calls(partner)
    _post(owner_client, "100301", [inquiry.pk, payment.pk])
    uat = UatRequest.objects.get()
    html = owner_client.get(f"/integrasi/uat/{uat.pk}/").content.decode()
    assert html.count("data-evidence-call=") == 2
    assert "rc 00" in html and "87 ms" in html and "IP 203.0.113.10" in html
    assert "&quot;customerID&quot;: &quot;530000000001&quot;" in html


@pytest.mark.parametrize(
    ("forged", "message"),
    [
        ("outsider", "tidak ditemukan di Log API Anda"),
        ("production", "adalah panggilan Production; hanya panggilan Development"),
        ("other_product", "untuk produk 100312, bukan 100301"),
        ("deposit", "adalah /Services/get-Deposit"),
        ("missing", "tidak ditemukan di Log API Anda"),
    ],
)
def test_a_forged_id_is_refused_with_the_reason(
    owner_client, partner, outsider, pln_postpaid, forged, message
):
    chosen(partner, pln_postpaid)
    inquiry, payment = postpaid_calls(partner)
    bad = {
        "outsider": lambda: ApiLogFactory(partner=outsider.partner).pk,
        "production": lambda: (
            ApiLogFactory(partner=partner, environment=Environment.PRODUCTION).pk
        ),
        "other_product": lambda: (
            ApiLogFactory(
                partner=partner, product_code="100312", path=SINGLE_PAYMENT_PATH
            ).pk
        ),
        "deposit": lambda: (
            ApiLogFactory(partner=partner, path="/Services/get-Deposit").pk
        ),
        "missing": lambda: 987654321,
    }[forged]()
    response = _post(owner_client, "100301", [inquiry.pk, payment.pk, bad])
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Panggilan API tidak dapat dilampirkan: #{bad} {message}" in html
    assert not UatRequest.objects.exists()
    assert not UatEvidenceCall.objects.exists()
    # The partner's own choices stay ticked; the forged id is not offered.
    assert f'value="{inquiry.pk}" id="call-{inquiry.pk}" checked' in html
    assert f'value="{bad}"' not in html


@pytest.mark.parametrize("value", ["1 OR 1=1", "²", "9" * 30, "-1"])
def test_an_id_that_is_not_a_number_is_a_form_error(
    owner_client, partner, pln_postpaid, value
):
    chosen(partner, pln_postpaid)
    response = _post(owner_client, "100301", [value])
    assert response.status_code == 200
    assert "Pilihan panggilan API tidak valid." in response.content.decode()
    assert not UatRequest.objects.exists()


def test_a_correction_takes_calls_off_and_attaches_new_ones(
    owner_client, partner, staff, pln_postpaid
):
    chosen(partner, pln_postpaid)
    inquiry, payment = postpaid_calls(partner)
    _post(owner_client, "100301", [inquiry.pk, payment.pk])
    uat = UatRequest.objects.get()
    review_decide(
        subject=uat, approve=False, actor=staff, reason="Payment tidak sesuai."
    )
    old_payment = uat.api_calls.get(path=PAYMENT_PATH)
    retry = ApiLogFactory(partner=partner, path=PAYMENT_PATH, reference_id="UJI-PAY2")
    form = owner_client.get(f"/integrasi/uat/{uat.pk}/perbaiki/").content.decode()
    assert f'name="detach_calls" value="{old_payment.pk}"' in form
    assert f'name="api_calls" value="{retry.pk}"' in form
    # Already attached calls are not offered a second time.
    assert f'name="api_calls" value="{payment.pk}"' not in form
    response = owner_client.post(
        f"/integrasi/uat/{uat.pk}/perbaiki/",
        {
            "product": "100301",
            "detach_calls": [old_payment.pk],
            "api_calls": [retry.pk],
        },
    )
    assert response.status_code == 302
    uat.refresh_from_db()
    assert uat.is_pending
    assert sorted(uat.api_calls.values_list("reference_id", flat=True)) == [
        "UJI-INQ1",
        "UJI-PAY2",
    ]


def test_taking_off_the_only_payment_reopens_the_gap(
    owner_client, partner, staff, pln_postpaid
):
    chosen(partner, pln_postpaid)
    _post(owner_client, "100301", [log.pk for log in postpaid_calls(partner)])
    uat = UatRequest.objects.get()
    review_decide(subject=uat, approve=False, actor=staff, reason="Ulangi.")
    payment = uat.api_calls.get(path=PAYMENT_PATH)
    html = owner_client.post(
        f"/integrasi/uat/{uat.pk}/perbaiki/",
        {"product": "100301", "detach_calls": [payment.pk]},
    ).content.decode()
    assert "Lengkapi dokumen UAT: Log Request Payment" in html
    assert "panggilan API Payment (rc apa pun)" in html
    assert uat.api_calls.count() == 2
    uat.refresh_from_db()
    assert uat.is_rejected


def test_more_than_fifty_calls_are_refused(owner_client, partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    ids = [log.pk for log in ApiLogFactory.create_batch(51, partner=partner)]
    html = _post(owner_client, "100301", ids).content.decode()
    assert "Maksimal 50 panggilan API per Request UAT." in html
    assert not UatRequest.objects.exists()


def test_a_call_of_another_request_cannot_be_taken_off(
    owner_client, partner, staff, pln_postpaid, pln_token
):
    chosen(partner, pln_token)
    token_call = ApiLogFactory(
        partner=partner, product_code="100312", path=SINGLE_PAYMENT_PATH
    )
    _post(owner_client, "100312", [token_call.pk])
    other = UatEvidenceCall.objects.get()
    chosen(partner, pln_postpaid)
    _post(owner_client, "100301", [log.pk for log in postpaid_calls(partner)])
    uat = UatRequest.objects.get(product=pln_postpaid)
    review_decide(subject=uat, approve=False, actor=staff, reason="Ulangi.")
    html = owner_client.post(
        f"/integrasi/uat/{uat.pk}/perbaiki/",
        {"product": "100301", "detach_calls": [other.pk]},
    ).content.decode()
    assert f"Lampiran panggilan API #{other.pk} tidak ada pada Request UAT ini." in html
    assert UatEvidenceCall.objects.filter(pk=other.pk).exists()
    uat.refresh_from_db()
    assert uat.is_rejected
