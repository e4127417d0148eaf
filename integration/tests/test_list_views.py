from django.db import connection
from django.test.utils import CaptureQueriesContext

from integration.tests.factories import production_ip, uat_approved, uat_filed
from portal.lib.review import review_decide
from products.tests.factories import ProductFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_uat_list_shows_each_status_and_reason(
    owner_client, partner, staff, pln_postpaid, pln_token, telkomsel
):
    uat_filed(partner, pln_postpaid)
    uat_approved(partner, pln_token, staff)
    rejected = uat_filed(partner, telkomsel)
    review_decide(
        subject=rejected, approve=False, actor=staff, reason="Dokumen kosong."
    )
    html = owner_client.get("/integrasi/").content.decode()
    assert "Menunggu approval" in html
    assert "Disetujui" in html
    assert "Ditolak" in html and "Dokumen kosong." in html
    assert 'href="/integrasi/uat/tambah/"' in html


def test_the_uat_list_shows_only_the_partners_own_requests(
    owner_client, partner, outsider, pln_postpaid, pln_token
):
    uat_filed(outsider.partner, pln_postpaid)
    uat_filed(partner, pln_token)
    html = owner_client.get("/integrasi/").content.decode()
    assert 'data-uat="100312"' in html and 'data-uat="100301"' not in html


def test_list_query_counts_stay_the_same_as_rows_grow(owner_client, partner, staff):
    production_ip(partner)
    for product in ProductFactory.create_batch(2):
        uat_approved(partner, product, staff)
    few_uat = _queries(owner_client, "/integrasi/")
    few_live = _queries(owner_client, "/integrasi/live/")
    for product in ProductFactory.create_batch(8):
        uat_approved(partner, product, staff)
    assert _queries(owner_client, "/integrasi/") == few_uat
    assert _queries(owner_client, "/integrasi/live/") == few_live
