"""When a UAT request's evidence is complete: the document always; each step of the product
by uploads (logs and screenshot) or by an attached call of that step."""

import pytest

from integration import evidence as rules
from integration import services
from integration.models import UatRequest
from integration.tests.factories import (
    ApiLogFactory,
    chosen,
    document_only,
    evidence,
    postpaid_calls,
    prepaid_call,
)

Kind = rules.Kind


def _gaps(product, kinds=(), calls=()):
    return rules.evidence_gaps(product, kinds=kinds, calls=calls)


def test_uploads_alone_complete_a_postpaid_request(pln_postpaid):
    assert not _gaps(pln_postpaid, kinds=rules.required_kinds(pln_postpaid))


def test_a_successful_inquiry_and_any_payment_replace_the_uploaded_logs(pln_postpaid):
    calls = [(rules.INQUIRY_PATH, "00"), (rules.PAYMENT_PATH, "17")]
    assert not _gaps(pln_postpaid, kinds=[Kind.DOCUMENT], calls=calls)


def test_a_failed_inquiry_does_not_show_the_inquiry_step(pln_postpaid):
    calls = [(rules.INQUIRY_PATH, "65"), (rules.PAYMENT_PATH, "00")]
    gaps = _gaps(pln_postpaid, kinds=[Kind.DOCUMENT], calls=calls)
    assert gaps.steps == (rules.INQUIRY,)
    assert gaps.kinds == rules.INQUIRY.kinds


def test_check_status_alone_shows_no_step(pln_postpaid):
    calls = [(rules.CHECK_STATUS_PATH, "00")]
    gaps = _gaps(pln_postpaid, kinds=[Kind.DOCUMENT], calls=calls)
    assert gaps.steps == (rules.INQUIRY, rules.PAYMENT)


def test_the_ways_mix_per_step(pln_postpaid):
    kinds = [Kind.DOCUMENT, *rules.INQUIRY.kinds]
    assert not _gaps(pln_postpaid, kinds=kinds, calls=[(rules.PAYMENT_PATH, "71")])


def test_a_prepaid_product_needs_a_single_payment_not_a_payment(pln_token):
    assert not _gaps(
        pln_token, kinds=[Kind.DOCUMENT], calls=[(rules.SINGLE_PAYMENT_PATH, "12")]
    )
    gaps = _gaps(pln_token, kinds=[Kind.DOCUMENT], calls=[(rules.PAYMENT_PATH, "00")])
    assert gaps.steps == (rules.SINGLE_PAYMENT,)


def test_the_document_is_required_whatever_is_attached(pln_postpaid):
    calls = [(rules.INQUIRY_PATH, "00"), (rules.PAYMENT_PATH, "00")]
    gaps = _gaps(pln_postpaid, kinds=[], calls=calls)
    assert gaps.kinds == (Kind.DOCUMENT,) and gaps.steps == ()


def _submit(partner, product, items, calls):
    return services.uat_request_submit(
        partner=partner,
        product=product,
        evidence=items,
        api_calls=[call.pk for call in calls],
        actor=partner.owner,
    )


def test_the_service_files_a_postpaid_uat_shown_by_calls(partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    uat = _submit(partner, pln_postpaid, document_only(), postpaid_calls(partner))
    assert list(uat.evidence.values_list("kind", flat=True)) == [Kind.DOCUMENT]
    assert sorted(uat.api_calls.values_list("path", flat=True)) == [
        rules.INQUIRY_PATH,
        rules.PAYMENT_PATH,
    ]


def test_the_service_refuses_a_failed_inquiry_and_says_what_would_do(
    partner, pln_postpaid
):
    chosen(partner, pln_postpaid)
    calls = [
        ApiLogFactory(partner=partner, rc="65"),
        ApiLogFactory(partner=partner, path=rules.PAYMENT_PATH),
    ]
    with pytest.raises(services.IntegrationError) as refused:
        _submit(partner, pln_postpaid, document_only(), calls)
    assert refused.value.message == (
        "Lengkapi dokumen UAT: Log Request Inquiry, Log Response Inquiry, Screenshot "
        "Aplikasi Inquiry. Bukti Inquiry dapat juga berupa panggilan API Inquiry yang "
        "sukses (rc 00) yang dilampirkan."
    )
    assert set(refused.value.errors) == {*rules.INQUIRY.kinds, "api_calls"}
    assert not UatRequest.objects.exists()


def test_the_service_files_a_prepaid_uat_with_a_single_payment(partner, telkomsel):
    chosen(partner, telkomsel)
    uat = _submit(
        partner, telkomsel, document_only(), [prepaid_call(partner, "501021")]
    )
    assert uat.api_calls.get().service == "SinglePayment"


def test_the_service_still_wants_the_document(partner, telkomsel):
    chosen(partner, telkomsel)
    with pytest.raises(services.IntegrationError, match="Dokumen hasil UAT"):
        _submit(partner, telkomsel, {}, [prepaid_call(partner, "501021")])


def test_uploads_still_work_without_calls(partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    uat = _submit(partner, pln_postpaid, evidence(), [])
    assert uat.evidence.count() == 7 and not uat.api_calls.exists()
