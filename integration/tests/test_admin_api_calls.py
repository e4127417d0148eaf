"""Staff review the attached Development calls inline, as the server saw them."""

from django.utils import timezone

from integration import services
from integration.tests.factories import chosen, document_only, postpaid_calls, uat_filed
from portal.lib.review import ReviewStatus

UAT_ADMIN = "/backoffice/integration/uatrequest/"


def _filed_with_calls(partner, product):
    chosen(partner, product)
    calls = postpaid_calls(partner)
    uat = services.uat_request_submit(
        partner=partner,
        product=product,
        evidence=document_only(),
        api_calls=[call.pk for call in calls],
        actor=partner.owner,
    )
    return uat, calls


def test_staff_see_the_attached_calls_inline(partner, staff_client, pln_postpaid):
    uat, (inquiry, payment) = _filed_with_calls(partner, pln_postpaid)
    html = staff_client.get(f"{UAT_ADMIN}{uat.pk}/change/").content.decode()
    assert "Panggilan API Development (dari Log API)" in html
    assert "POST /Services/Inquiry" in html and "POST /Services/Payment" in html
    when = timezone.localtime(inquiry.created_at).strftime("%d/%m/%Y %H:%M:%S")
    assert when in html
    assert "IP 203.0.113.10" in html and "87 ms" in html
    assert "rc <strong>00</strong>" in html
    # The bodies pretty-printed (indented JSON), escaped.
    assert "\n  &quot;sessionID&quot;: &quot;0123456789abcdef" in html
    assert "&quot;nama&quot;: &quot;Budi Santoso&quot;" in html
    assert "Inquiry: panggilan API (lihat di bawah)" in html
    assert "Payment: panggilan API (lihat di bawah)" in html


def test_staff_approve_a_uat_shown_by_calls(partner, staff_client, pln_postpaid, send):
    uat, _calls = _filed_with_calls(partner, pln_postpaid)
    send(staff_client.post, f"{UAT_ADMIN}{uat.pk}/review/", {"decision": "approve"})
    uat.refresh_from_db()
    assert uat.review_status == ReviewStatus.APPROVED


def test_a_request_with_uploads_only_says_so(partner, staff_client, pln_postpaid):
    uat = uat_filed(partner, pln_postpaid)
    html = staff_client.get(f"{UAT_ADMIN}{uat.pk}/change/").content.decode()
    assert "Inquiry: log dan screenshot unggahan" in html
    assert "POST /Services/" not in html
