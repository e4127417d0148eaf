"""Open API test data: credentials with known passwords, whitelist entries, products."""

import factory

from accounts.tests.factories import PartnerFactory
from portal.lib.environments import Environment
from profiles.models import Credential
from profiles.selectors import digest_ha1

DEV_PASSWORD = "dev-Rahasia-2026"
PROD_PASSWORD = "prod-Rahasia-2026"
PASSWORDS = {
    Environment.DEVELOPMENT: DEV_PASSWORD,
    Environment.PRODUCTION: PROD_PASSWORD,
}


class CredentialFactory(factory.django.DjangoModelFactory):
    """A Transaksi credential whose password is ``PASSWORDS[environment]``."""

    class Meta:
        model = Credential

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.DEVELOPMENT
    username = factory.LazyAttribute(
        lambda o: f"{o.partner.code.lower()}.{o.environment[:3]}"
    )
    ha1 = factory.LazyAttribute(
        lambda o: digest_ha1(o.username, PASSWORDS[o.environment])
    )
    mitra = factory.LazyAttribute(lambda o: o.partner.code)
    account_id = factory.Sequence(lambda n: f"9{n:09d}")
    merchant_id = factory.Sequence(lambda n: f"MD{n:010d}")
    merchant_name = factory.LazyAttribute(lambda o: o.partner.name)
    counter_id = "1"
