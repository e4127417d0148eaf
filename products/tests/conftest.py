import pytest

from products.tests.factories import CategoryFactory, ProductFactory


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def listrik(db):
    return CategoryFactory(slug="listrik", name="Listrik", position=20)


@pytest.fixture
def pulsa(db):
    return CategoryFactory(slug="pulsa-prabayar", name="Pulsa Prabayar", position=110)


@pytest.fixture
def pln_postpaid(listrik):
    return ProductFactory(
        code="100301", name="PLN Pascabayar", category=listrik, postpaid=True
    )


@pytest.fixture
def pln_token(listrik):
    return ProductFactory(
        code="100312", name="PLN Token 20.000", category=listrik, price=21500
    )


@pytest.fixture
def telkomsel(pulsa):
    return ProductFactory(
        code="501021", name="Telkomsel 10.000", category=pulsa, price=10550, pulsa=True
    )
