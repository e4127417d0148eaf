"""A partner ready for the documentation and the Development API: a Development credential
with a known password, approved connection entries for this machine, the example products
chosen and a funded Development deposit."""

from __future__ import annotations

import factory
from django.core.management import call_command

from accounts.tests.factories import PartnerFactory
from billing.tests.factories import deposit_fund
from connections.tests.factories import ConnectionFactory
from docs_content.spec import EXAMPLES
from portal.lib.environments import Environment
from products.models import PartnerProduct, Product
from profiles.models import Credential
from profiles.selectors import digest_ha1

DEV_PASSWORD = "Rahasia-Dev-2026"  # noqa: S105 - a test credential
LOCAL_ADDRESSES = ("127.0.0.1", "::1")


class CredentialFactory(factory.django.DjangoModelFactory):
    """A Transaksi (Development) credential whose password is ``DEV_PASSWORD``."""

    class Meta:
        model = Credential

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.DEVELOPMENT
    username = factory.LazyAttribute(lambda o: f"{o.partner.code.lower()}.dev")
    ha1 = factory.LazyAttribute(lambda o: digest_ha1(o.username, DEV_PASSWORD))
    mitra = factory.LazyAttribute(lambda o: o.partner.code)
    account_id = factory.Sequence(lambda n: f"9{n:09d}")
    merchant_id = factory.Sequence(lambda n: f"MD{n:010d}")
    # A quote, an ampersand and angle brackets: samples and pages must escape them.
    merchant_name = "CV Kopi O'Neil & <Anak>"
    counter_id = "1"


def approve_local_connections(partner, environment=Environment.DEVELOPMENT) -> None:
    for address in LOCAL_ADDRESSES:
        ConnectionFactory(
            partner=partner, environment=environment, address=address, approved=True
        )


def example_products() -> set[str]:
    return {
        example.request["productID"]
        for example in EXAMPLES
        if example.operation in ("inquiry", "payment", "single_payment")
    }


def ready_for_development(partner, *, deposit: int = 50_000_000) -> None:
    """Everything the documented examples need besides the credential, as a partner would
    have it after Koneksi, Produk and a Development top-up."""
    call_command("load_catalogue", verbosity=0)
    approve_local_connections(partner)
    for product in Product.objects.filter(code__in=example_products()):
        PartnerProduct.objects.get_or_create(partner=partner, product=product)
    deposit_fund(partner, deposit, environment=Environment.DEVELOPMENT)
