import pytest

from billing.tests.factories import deposit_fund
from connections.tests.factories import ConnectionFactory
from openapi.tests.digestclient import DigestApi
from openapi.tests.factories import CredentialFactory
from portal.lib.environments import Environment
from products.tests.factories import (
    CategoryFactory,
    PartnerProductFactory,
    ProductFactory,
)

LOCAL_ADDRESSES = ("127.0.0.1", "::1")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Portal logins are not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def dev_credential(partner):
    return CredentialFactory(partner=partner, environment=Environment.DEVELOPMENT)


@pytest.fixture
def prod_credential(partner):
    return CredentialFactory(partner=partner, environment=Environment.PRODUCTION)


@pytest.fixture
def whitelist(partner):
    """127.0.0.1 and ::1 approved for both environments."""
    return [
        ConnectionFactory(
            partner=partner, environment=environment, address=address, approved=True
        )
        for environment in Environment
        for address in LOCAL_ADDRESSES
    ]


@pytest.fixture
def dev_api(client, dev_credential, whitelist):
    return DigestApi(client, dev_credential)


@pytest.fixture
def prod_api(client, prod_credential, whitelist):
    return DigestApi(client, prod_credential)


@pytest.fixture
def listrik(db):
    return CategoryFactory(slug="listrik", name="Listrik")


@pytest.fixture
def postpaid(partner, listrik):
    """PLN Pascabayar (admin Rp 2.500), chosen by the partner (Development)."""
    product = ProductFactory(
        code="100301", name="PLN Pascabayar", category=listrik, postpaid=True
    )
    PartnerProductFactory(partner=partner, product=product)
    return product


@pytest.fixture
def prepaid(partner, listrik):
    """PLN Token 20.000 at Rp 20.500, chosen by the partner (Development)."""
    product = ProductFactory(
        code="100312", name="PLN Token 20.000", category=listrik, price=20_500
    )
    PartnerProductFactory(partner=partner, product=product)
    return product


@pytest.fixture
def funded(partner):
    """Rp 10.000.000 on both deposits."""
    for environment in Environment:
        deposit_fund(partner, 10_000_000, environment)
    return partner
