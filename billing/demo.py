"""Demo data for `make run`: destination bank accounts, and for each active demo partner
(`demo_partners`) a confirmed Production top-up, sandbox funds, an open top-up request and a
month of transactions (so the dashboard chart, the report and the statement have something to
show). Safe to run twice: a partner whose deposit already moved is left alone."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from accounts.management.commands.seed_demo import REVIEWER_USERNAME, demo_partners
from accounts.models import Partner, User
from billing import services
from billing.formatting import format_rupiah
from billing.models import BankAccount, LedgerEntry, Transaction
from billing.selectors import deposit_balances
from portal.lib.environments import Environment
from portal.lib.review import review_decide
from products.selectors import product_by_code

BANK_ACCOUNTS = [
    ("BCA", "8880123456", "PT Web Open API Indonesia"),
    ("Mandiri", "1230009876543", "PT Web Open API Indonesia"),
    ("BNI", "0987654321", "PT Web Open API Indonesia"),
]
# (code, name, category, total) when the catalogue has no such product.
PRODUCTS = [
    ("501021", "Telkomsel 10.000", "Pulsa", 10_250),
    ("100312", "Token PLN 20.000", "Listrik", 20_500),
    ("100301", "PLN Pascabayar", "Listrik", 152_500),
    ("751031", "OVO 50.000", "Uang Elektronik", 51_000),
]
STATUSES = ["sukses"] * 8 + ["gagal", "pending"]


def seed(stdout) -> None:
    banks = [
        BankAccount.objects.get_or_create(
            bank=bank, number=number, defaults={"holder": holder}
        )[0]
        for bank, number, holder in BANK_ACCOUNTS
    ]
    stdout.write(f"Rekening tujuan top up: {len(banks)}.")
    reviewer = User.objects.get(username=REVIEWER_USERNAME)
    for partner in demo_partners():
        if LedgerEntry.objects.filter(account__partner=partner).exists():
            continue
        owner = partner.owner
        if owner is None:
            continue
        _money(partner, owner, reviewer, banks[0])
        balances = deposit_balances(partner=partner)
        stdout.write(
            f"Deposit demo {partner.code}: Production "
            f"{format_rupiah(balances[Environment.PRODUCTION])}, Development "
            f"{format_rupiah(balances[Environment.DEVELOPMENT])}."
        )


def _money(partner: Partner, owner: User, reviewer: User, bank: BankAccount) -> None:
    topup = services.topup_request(
        partner=partner, actor=owner, amount=5_000_000, bank_account=bank
    )
    review_decide(subject=topup, approve=True, actor=reviewer)
    services.deposit_sandbox_fund(
        partner=partner, actor=owner, amount=services.SANDBOX_BALANCE_CAP
    )
    services.topup_request(
        partner=partner, actor=owner, amount=1_000_000, bank_account=bank
    )
    rng = random.Random(partner.pk)  # noqa: S311 - demo data
    now = timezone.now()
    for n in range(60):
        code, name, category, total = rng.choice(PRODUCTS)
        product = product_by_code(code)
        environment = Environment.DEVELOPMENT if n % 6 == 0 else Environment.PRODUCTION
        reference = f"DEMO{n:04d}"
        txn = services.transaction_create_paid(
            partner=partner,
            environment=environment,
            product=product,
            product_code=code,
            product_name=product.name if product else name,
            category=product.category.name if product else category,
            customer_number=f"0812{rng.randrange(10**8):08d}",
            reference_id=reference,
            tagihan=total - 2_500 if code == "100301" else total,
            admin=2_500 if code == "100301" else 0,
            total=total,
            request={"productID": code, "referenceID": reference},
            service="Payment" if code == "100301" else "SinglePayment",
            rc="71",
        )
        status = rng.choice(STATUSES)
        rc = {"sukses": "00", "gagal": "17", "pending": "71"}[status]
        services.transaction_complete(
            transaction=txn,
            status=status,
            rc=rc,
            response={"rc": rc, "referenceID": reference},
        )
        # Spread the month for the dashboard chart (the ledger keeps its real times).
        Transaction.objects.filter(pk=txn.pk).update(
            created_at=now - timedelta(days=n % 30, hours=rng.randrange(0, 10))
        )
