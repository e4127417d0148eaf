from io import StringIO

from integration import demo as integration_demo
from integration.models import LiveRequest, UatRequest
from integration.tests.factories import production_ip
from portal.lib.review import ReviewStatus
from products import demo as products_demo
from products.models import PartnerProduct


def _seed():
    out = StringIO()
    products_demo.seed(out)
    integration_demo.seed(out)
    return out.getvalue()


def test_the_demo_brings_one_product_to_aktif_and_leaves_one_to_review(
    demo_partner, staff
):
    partner = demo_partner
    production_ip(partner)
    assert "Request UAT dibuat" in _seed()
    states = dict(
        PartnerProduct.objects.filter(partner=partner).values_list(
            "product__code", "state"
        )
    )
    assert states["100312"] == PartnerProduct.State.ACTIVE
    assert states["100301"] == PartnerProduct.State.UAT_PENDING
    assert states["501021"] == PartnerProduct.State.DEVELOPMENT
    assert LiveRequest.objects.get().review_status == ReviewStatus.APPROVED


def test_the_demo_can_run_twice(demo_partner, staff):
    partner = demo_partner
    production_ip(partner)
    _seed()
    _seed()
    assert UatRequest.objects.count() == 2
    assert LiveRequest.objects.count() == 1
