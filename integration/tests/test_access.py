import pytest

from integration.models import LiveRequest
from integration.tests.factories import (
    ApiLogFactory,
    chosen,
    production_ip,
    uat_approved,
)
from portal.lib.access import Level, Menu
from products.tests.factories import ProductFactory


@pytest.fixture
def uat(partner, staff, pln_postpaid):
    uat = uat_approved(partner, pln_postpaid, staff)
    production_ip(partner)
    return uat


def _object_urls(uat):
    evidence = uat.evidence.get(kind="document")
    return [
        ("get", f"/integrasi/uat/{uat.pk}/"),
        ("get", f"/integrasi/uat/{uat.pk}/perbaiki/"),
        ("post", f"/integrasi/uat/{uat.pk}/perbaiki/"),
        ("get", f"/integrasi/uat/{uat.pk}/bukti/{evidence.pk}/"),
        ("post", f"/integrasi/uat/{uat.pk}/request-live/"),
    ]


def test_an_outsider_gets_404_on_every_object_url(client, outsider, uat):
    production_ip(outsider.partner)
    client.force_login(outsider)
    for method, url in _object_urls(uat):
        assert getattr(client, method)(url).status_code == 404, url
    assert not LiveRequest.objects.exists()


def test_evidence_is_only_reached_through_its_own_request(
    owner_client, uat, partner, staff
):
    other = uat_approved(partner, ProductFactory(), staff)
    evidence = other.evidence.get(kind="document")
    assert (
        owner_client.get(f"/integrasi/uat/{uat.pk}/bukti/{evidence.pk}/").status_code
        == 404
    )


def test_the_owner_downloads_the_evidence_as_an_attachment(owner_client, uat):
    evidence = uat.evidence.get(kind="inquiry_request")
    response = owner_client.get(f"/integrasi/uat/{uat.pk}/bukti/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="uat-100301-inquiry_request.txt"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/integrasi/"),
        ("get", "/integrasi/live/"),
        ("get", "/integrasi/uat/tambah/"),
        ("get", "/integrasi/uat/produk/"),
        ("get", "/integrasi/uat/panggilan-api/"),
        ("get", "/integrasi/uat/1/"),
        ("get", "/integrasi/uat/1/bukti/1/"),
        ("post", "/integrasi/uat/1/request-live/"),
    ],
)
def test_a_sub_user_without_the_right_gets_403(client, sub_user, method, url):
    client.force_login(sub_user)
    assert getattr(client, method)(url).status_code == 403


def test_a_sub_user_with_view_right_cannot_request_live(client, sub_user, uat):
    sub_user.access_rights = {Menu.INTEGRASI: Level.VIEW}
    sub_user.save()
    client.force_login(sub_user)
    page = client.get("/integrasi/live/").content.decode()
    assert "100301" in page and "/request-live/" not in page
    assert client.post(f"/integrasi/uat/{uat.pk}/request-live/").status_code == 403


def test_an_outsider_sees_none_of_the_partners_calls(client, outsider, partner, uat):
    product = ProductFactory(code="999001", postpaid=True)
    chosen(partner, product)
    chosen(outsider.partner, product)
    log = ApiLogFactory(partner=partner, product_code="999001")
    client.force_login(outsider)
    html = client.get(
        "/integrasi/uat/panggilan-api/", {"product": "999001"}
    ).content.decode()
    assert log.reference_id not in html and "Belum ada panggilan" in html
