from integration.models import LiveRequest
from integration.tests.factories import production_ip, uat_approved, uat_filed
from portal.lib.review import ReviewStatus, review_decide
from portal.models import AuditEvent
from products.models import PartnerProduct


def _request_live(client, uat):
    return client.post(f"/integrasi/uat/{uat.pk}/request-live/", follow=True)


def test_request_live_asks_for_confirmation_then_says_proses_berhasil(
    owner_client, partner, staff, pln_postpaid
):
    uat = uat_approved(partner, pln_postpaid, staff)
    production_ip(partner)
    page = owner_client.get("/integrasi/live/").content.decode()
    assert f'action="/integrasi/uat/{uat.pk}/request-live/"' in page
    assert (
        'data-confirm="Konfirmasi Request Live: ajukan produk 100301 PLN Pascabayar'
        in page
    )
    html = _request_live(owner_client, uat).content.decode()
    assert "Proses Berhasil" in html
    live = LiveRequest.objects.get()
    assert (live.uat_request, live.review_status) == (uat, ReviewStatus.PENDING)
    assert PartnerProduct.objects.get().state == "live_menunggu"
    assert AuditEvent.objects.filter(action="live.submitted").exists()


def test_request_live_needs_an_approved_production_ip(
    owner_client, partner, staff, pln_postpaid
):
    uat = uat_approved(partner, pln_postpaid, staff)
    page = owner_client.get("/integrasi/live/").content.decode()
    assert "membutuhkan IP Address Production yang sudah disetujui" in page
    html = _request_live(owner_client, uat).content.decode()
    assert "belum ada IP Address Production yang disetujui" in html
    assert "menu Koneksi" in html
    assert not LiveRequest.objects.exists()
    assert PartnerProduct.objects.get().state == "uat_disetujui"


def test_a_development_ip_is_not_enough(owner_client, partner, staff, pln_postpaid):
    from connections.tests.factories import ConnectionFactory

    uat = uat_approved(partner, pln_postpaid, staff)
    ConnectionFactory(partner=partner, approved=True)
    ConnectionFactory(partner=partner, environment="production")  # still pending
    _request_live(owner_client, uat)
    assert not LiveRequest.objects.exists()


def test_request_live_needs_the_uat_approved(owner_client, partner, pln_postpaid):
    uat = uat_filed(partner, pln_postpaid)
    production_ip(partner)
    page = owner_client.get("/integrasi/").content.decode()
    assert "/request-live/" not in page
    html = _request_live(owner_client, uat).content.decode()
    assert "Request UAT belum disetujui" in html
    assert not LiveRequest.objects.exists()


def test_a_pending_live_request_is_not_sent_twice(
    owner_client, partner, staff, pln_postpaid
):
    uat = uat_approved(partner, pln_postpaid, staff)
    production_ip(partner)
    _request_live(owner_client, uat)
    html = _request_live(owner_client, uat).content.decode()
    assert "Live menunggu approval" in html
    assert LiveRequest.objects.count() == 1


def test_a_rejected_live_request_can_be_sent_again(
    owner_client, partner, staff, pln_postpaid
):
    uat = uat_approved(partner, pln_postpaid, staff)
    production_ip(partner)
    _request_live(owner_client, uat)
    live = LiveRequest.objects.get()
    review_decide(
        subject=live, approve=False, actor=staff, reason="Deposit belum disetor."
    )
    html = owner_client.get("/integrasi/live/").content.decode()
    assert "Deposit belum disetor." in html
    produk = owner_client.get("/produk/produk-anda/").content.decode()
    assert "Live ditolak" in produk
    assert "Proses Berhasil" in _request_live(owner_client, uat).content.decode()
    live.refresh_from_db()
    assert live.review_status == ReviewStatus.PENDING
    assert LiveRequest.objects.count() == 1
