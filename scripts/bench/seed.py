"""The data of the run, made inside Django by the package run again in a subprocess:
the partners (``--seed``) and the network simulator as their provider (``--route``)."""

import json
import random
import sys

from .config import (
    NETWORK_ENV,
    NETWORK_PROVIDER,
    NETWORK_TIMEOUT_SECONDS,
    PARTNER_CODE,
    PASSWORD,
    PORTAL_PARTNER_CODE,
    PORTAL_TRANSACTIONS,
    PORTAL_USERNAME,
    POSTPAID,
    PREPAID,
    ROOT,
)


def seed() -> None:
    """Runs inside Django (``--seed``): the load's partner ready to transact in
    Development, and the portal's partner."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Partner, User
    from billing.services import adjustment_create
    from connections.services import connection_create
    from portal.lib.review import review_decide
    from products.models import Product
    from products.services import partner_products_choose
    from profiles.models import Credential
    from profiles.selectors import digest_ha1

    staff = [
        User.objects.create(
            username=f"bench-staff-{n}",
            email=f"staff{n}@bench.test",
            is_staff=True,
            is_superuser=True,
            email_verified_at=timezone.now(),
        )
        for n in (1, 2)
    ]
    partner = Partner.objects.create(
        code=PARTNER_CODE,
        name="PT Bench",
        kind=Partner.Kind.PERUSAHAAN,
        status=Partner.Status.ACTIVE,
    )
    owner = User.objects.create(
        username="mtrbench",
        partner=partner,
        email="owner@bench.test",
        phone="+6281299990000",
        is_owner=True,
        email_verified_at=timezone.now(),
    )
    username = "mtrbench.dev"
    credential = Credential.objects.create(
        partner=partner,
        environment="development",
        username=username,
        ha1=digest_ha1(username, PASSWORD),
        mitra=partner.code,
        account_id="9000000001",
        merchant_id="MDBENCH00001",
        merchant_name=partner.name,
        counter_id="1",
    )
    connection_create(
        partner=partner,
        environment="development",
        address="127.0.0.1",
        actor=staff[0],
        approved=True,
    )
    partner_products_choose(
        partner=partner,
        products=Product.objects.filter(code__in=[POSTPAID, PREPAID]),
        actor=owner,
    )
    adjustment = adjustment_create(
        partner=partner,
        environment="development",
        amount=10**13,
        reason="Saldo benchmark",
        actor=staff[0],
    )
    review_decide(subject=adjustment, approve=True, actor=staff[1])
    seed_portal_partner(staff)
    prepaid = Product.objects.get(code=PREPAID)
    print(
        json.dumps(
            {
                "username": username,
                "mitra": credential.mitra,
                "accountID": credential.account_id,
                "merchantID": credential.merchant_id,
                "merchantName": credential.merchant_name,
                "counterID": credential.counter_id,
                "prepaid_price": prepaid.price,
                "login_path": reverse("accounts:login"),
                "dashboard_path": reverse("portal:dashboard"),
            }
        )
    )


def seed_portal_partner(staff: list) -> None:
    """Another active partner whose owner logs in to the portal: deposits in both
    environments and a month of transactions, mostly Production (the dashboard's chart)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Partner, User
    from billing.models import Transaction
    from billing.services import (
        adjustment_create,
        transaction_complete,
        transaction_create_paid,
    )
    from portal.lib.review import review_decide
    from products.models import Product

    partner = Partner.objects.create(
        code=PORTAL_PARTNER_CODE,
        name="PT Portal Bench",
        kind=Partner.Kind.PERUSAHAAN,
        status=Partner.Status.ACTIVE,
    )
    owner = User.objects.create(
        username=PORTAL_USERNAME,
        partner=partner,
        email="owner@portal.bench.test",
        phone="+6281299990001",
        is_owner=True,
        email_verified_at=timezone.now(),
    )
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    for environment in ("production", "development"):
        adjustment = adjustment_create(
            partner=partner,
            environment=environment,
            amount=10**10,
            reason="Saldo benchmark portal",
            actor=staff[0],
        )
        review_decide(subject=adjustment, approve=True, actor=staff[1])
    products = list(Product.objects.filter(code__in=[POSTPAID, PREPAID]))
    rng = random.Random(PORTAL_TRANSACTIONS)  # noqa: S311 - seed data
    now = timezone.now()
    for n in range(PORTAL_TRANSACTIONS):
        product = rng.choice(products)
        postpaid = product.code == POSTPAID
        tagihan = rng.randrange(50_000, 500_000) if postpaid else product.price
        admin = 2_500 if postpaid else 0
        txn = transaction_create_paid(
            partner=partner,
            environment="development" if n % 6 == 0 else "production",
            product=product,
            product_code=product.code,
            product_name=product.name,
            category=product.category.name,
            customer_number=f"0812{rng.randrange(10**8):08d}",
            reference_id=f"PORTAL{n:05d}",
            tagihan=tagihan,
            admin=admin,
            total=tagihan + admin,
            request={"productID": product.code, "referenceID": f"PORTAL{n:05d}"},
            service="Payment" if postpaid else "SinglePayment",
            rc="71",
        )
        status = rng.choice(["sukses"] * 8 + ["gagal", "pending"])
        rc = {"sukses": "00", "gagal": "17", "pending": "71"}[status]
        transaction_complete(transaction=txn, status=status, rc=rc, response={"rc": rc})
        # Spread over the month for the chart (the ledger keeps its real times).
        Transaction.objects.filter(pk=txn.pk).update(
            created_at=now - timedelta(days=n % 30, hours=rng.randrange(10))
        )


def route(url: str) -> None:
    """Runs inside Django (``--route URL``): the network simulator at ``url`` becomes the
    first provider of the two products."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from billers.models import Provider, ProviderProduct
    from products.models import Product

    provider, _created = Provider.objects.update_or_create(
        code=NETWORK_PROVIDER,
        defaults={
            "name": "Simulator jaringan (benchmark)",
            "kind": Provider.Kind.NETWORK,
            "base_url": url,
            "credentials_env": NETWORK_ENV,
            "timeout_seconds": NETWORK_TIMEOUT_SECONDS,
            "enabled": True,
        },
    )
    for product in Product.objects.filter(code__in=[POSTPAID, PREPAID]):
        ProviderProduct.objects.update_or_create(
            product=product,
            provider=provider,
            defaults={"priority": 1, "buy_price": 0, "enabled": True},
        )
