import pytest

from portal.lib.environments import Environment
from products import selectors
from products.models import PartnerProduct
from products.tests.factories import PartnerProductFactory


def test_product_by_code_finds_the_catalogue_product(pln_token):
    assert selectors.product_by_code("100312") == pln_token
    assert selectors.product_by_code("999999") is None


def test_partner_product_state_is_none_until_chosen(partner, pln_token):
    assert selectors.partner_product_state(partner, pln_token) is None
    PartnerProductFactory(partner=partner, product=pln_token)
    assert selectors.partner_product_state(partner, pln_token) == "development"


def test_a_chosen_product_is_allowed_in_development_only(partner, pln_token):
    assert not selectors.product_sellable(
        state=selectors.partner_product_state(partner, pln_token),
        environment=Environment.DEVELOPMENT,
    )
    PartnerProductFactory(partner=partner, product=pln_token)
    assert selectors.product_sellable(
        state=selectors.partner_product_state(partner, pln_token),
        environment=Environment.DEVELOPMENT,
    )
    assert not selectors.product_sellable(
        state=selectors.partner_product_state(partner, pln_token),
        environment=Environment.PRODUCTION,
    )


@pytest.mark.parametrize(
    ("state", "production"),
    [
        (PartnerProduct.State.UAT_APPROVED, False),
        (PartnerProduct.State.LIVE_PENDING, False),
        (PartnerProduct.State.ACTIVE, True),
    ],
)
def test_production_needs_the_product_live(partner, pln_token, state, production):
    PartnerProductFactory(partner=partner, product=pln_token, state=state)
    assert (
        selectors.product_sellable(
            state=selectors.partner_product_state(partner, pln_token),
            environment=Environment.PRODUCTION,
        )
        is production
    )


def test_another_partners_choice_does_not_count(partner, outsider, pln_token):
    PartnerProductFactory(
        partner=outsider.partner, product=pln_token, state=PartnerProduct.State.ACTIVE
    )
    for environment in Environment:
        assert not selectors.product_sellable(
            state=selectors.partner_product_state(partner, pln_token),
            environment=environment,
        )


def test_operator_products_lists_one_prefix(pln_token, telkomsel):
    assert list(selectors.operator_products(operator="21")) == [telkomsel]
    assert not selectors.operator_products(operator="11").exists()
