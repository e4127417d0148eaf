"""The htmx partial of the Request UAT form: the partner's own latest Development calls of
the chosen product, to tick."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integration.evidence import CHECK_STATUS_PATH, PAYMENT_PATH
from integration.tests.factories import ApiLogFactory, chosen
from portal.lib.environments import Environment
from products.models import PartnerProduct

PARTIAL = "/integrasi/uat/panggilan-api/"


def _partial(client, code):
    response = client.get(PARTIAL, {"product": code}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_only_the_partners_own_development_calls_of_that_product(
    owner_client, partner, outsider, pln_postpaid
):
    chosen(partner, pln_postpaid)
    own = [
        ApiLogFactory(partner=partner, reference_id="OWN-INQ"),
        ApiLogFactory(partner=partner, path=PAYMENT_PATH, reference_id="OWN-PAY"),
        ApiLogFactory(partner=partner, path=CHECK_STATUS_PATH, reference_id="OWN-CHK"),
    ]
    others = [
        ApiLogFactory(partner=outsider.partner, reference_id="OTHER-PARTNER"),
        ApiLogFactory(
            partner=partner,
            environment=Environment.PRODUCTION,
            reference_id="PRODUCTION",
        ),
        ApiLogFactory(partner=partner, product_code="100312", reference_id="PRODUK"),
        ApiLogFactory(
            partner=partner, path="/Services/get-Deposit", reference_id="DEPOSIT"
        ),
    ]
    html = _partial(owner_client, "100301")
    for log in own:
        assert f'name="api_calls" value="{log.pk}"' in html
        assert log.reference_id in html
    for log in others:
        assert f'value="{log.pk}"' not in html
        assert log.reference_id not in html
    assert "Check-Status" in html and "Payment" in html


def test_it_shows_the_newest_fifty_newest_first(owner_client, partner, pln_postpaid):
    chosen(partner, pln_postpaid)
    now = timezone.now()
    logs = [
        ApiLogFactory(partner=partner, at=now - timedelta(minutes=n)) for n in range(52)
    ]
    html = _partial(owner_client, "100301")
    shown = [log for log in logs if f'value="{log.pk}"' in html]
    assert shown == logs[:50]
    positions = [html.index(f'value="{log.pk}"') for log in shown]
    assert positions == sorted(positions)
    assert (
        logs[0]
        .created_at.astimezone(timezone.get_current_timezone())
        .strftime("%d/%m/%Y %H:%M:%S")
        in html
    )


def test_without_a_product_it_asks_to_choose_one(owner_client, partner):
    html = _partial(owner_client, "")
    assert "Pilih produk untuk melihat panggilan API Development" in html


def test_a_product_whose_uat_is_not_open_lists_nothing(
    owner_client, partner, pln_postpaid
):
    chosen(partner, pln_postpaid, state=PartnerProduct.State.UAT_PENDING)
    log = ApiLogFactory(partner=partner)
    html = _partial(owner_client, "100301")
    assert f'value="{log.pk}"' not in html
    assert "Pilih produk" in html


def test_a_product_without_calls_says_how_to_make_some(
    owner_client, partner, pln_postpaid
):
    chosen(partner, pln_postpaid)
    assert "Belum ada panggilan" in _partial(owner_client, "100301")


def test_the_form_loads_the_partial_when_the_product_changes(owner_client, partner):
    html = owner_client.get("/integrasi/uat/tambah/").content.decode()
    assert f'hx-get="{PARTIAL}"' in html
    assert 'hx-include="#id_product"' in html
    assert "change from:#id_product" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        _partial(client, "100301")
    return len(queries)


def test_the_query_count_stays_the_same_as_calls_grow(
    owner_client, partner, pln_postpaid
):
    chosen(partner, pln_postpaid)
    ApiLogFactory.create_batch(2, partner=partner)
    few = _queries(owner_client)
    ApiLogFactory.create_batch(20, partner=partner)
    ApiLogFactory.create_batch(10, partner=partner, path=PAYMENT_PATH)
    assert _queries(owner_client) == few
