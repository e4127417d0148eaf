import pytest

from accounts.models import Partner
from integration import services
from integration.models import UatRequest
from integration.tests.factories import chosen, evidence, uat_approved, uat_filed


def _submit(partner, product):
    return services.uat_request_submit(
        partner=partner, product=product, evidence=evidence(), actor=partner.owner
    )


def test_a_product_that_was_not_chosen_is_refused(partner, pln_postpaid):
    with pytest.raises(
        services.IntegrationError, match="belum Anda pilih di menu Produk"
    ):
        _submit(partner, pln_postpaid)
    assert not UatRequest.objects.exists()


def test_a_pending_uat_is_not_filed_twice(partner, pln_postpaid):
    uat_filed(partner, pln_postpaid)
    with pytest.raises(services.IntegrationError, match="UAT menunggu approval"):
        _submit(partner, pln_postpaid)
    assert UatRequest.objects.count() == 1


def test_an_approved_uat_is_not_filed_again(partner, staff, pln_postpaid):
    uat_approved(partner, pln_postpaid, staff)
    with pytest.raises(services.IntegrationError, match="UAT disetujui"):
        _submit(partner, pln_postpaid)


def test_an_inactive_partner_cannot_file_a_uat(partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.SUSPENDED)
    partner.refresh_from_db()
    with pytest.raises(services.IntegrationError, match="belum aktif"):
        _submit(partner, pln_postpaid)


def test_the_form_of_an_inactive_partner_says_why(owner_client, partner):
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.PENDING)
    response = owner_client.get("/integrasi/uat/tambah/", follow=True)
    html = response.content.decode()
    assert "Akun mitra Anda belum aktif" in html
    assert "/integrasi/uat/tambah/" not in html


def test_posting_an_unchosen_product_to_the_form_is_refused(
    owner_client, partner, pln_postpaid
):
    from integration.tests.factories import uat_form_data

    html = owner_client.post(
        "/integrasi/uat/tambah/", uat_form_data("100301")
    ).content.decode()
    assert "tidak dapat diajukan UAT" in html
    assert not UatRequest.objects.exists()
