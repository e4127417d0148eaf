from datetime import timedelta

import factory
from django.db.transaction import atomic
from django.utils import timezone

from accounts.tests.factories import PartnerFactory
from billing.models import BankAccount, DepositAccount, LedgerEntry, TopUp, Transaction
from billing.services.ledger import ledger_post
from portal.lib.environments import Environment


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    bank = "BCA"
    number = factory.Sequence(lambda n: f"88{n:08d}")
    holder = "PT Web Open API Indonesia"
    is_active = True


class TransactionFactory(factory.django.DjangoModelFactory):
    """A transaction row without ledger movement (for reports); money-moving tests use
    ``billing.services.transaction_create_paid``."""

    class Meta:
        model = Transaction

    partner = factory.SubFactory(PartnerFactory)
    environment = Environment.PRODUCTION
    service = "Payment"
    product_code = "100301"
    product_name = "PLN Pascabayar"
    category = "Listrik"
    customer_number = factory.Sequence(lambda n: f"5{n:011d}")
    reference_id = factory.Sequence(lambda n: f"REF{n:08d}")
    tagihan = 20_000
    admin = 2_500
    total = 22_500
    status = Transaction.Status.SUKSES
    rc = "00"
    request = factory.LazyAttribute(
        lambda o: {
            "productID": o.product_code,
            "customerID": o.customer_number,
            "referenceID": o.reference_id,
        }
    )
    response = factory.LazyAttribute(
        lambda o: {"rc": o.rc, "referenceID": o.reference_id, "data": {"sn": "SN-1"}}
    )
    created_at = factory.LazyFunction(timezone.now)


class TopUpFactory(factory.django.DjangoModelFactory):
    """An open request made directly (no email); portal tests use the service."""

    class Meta:
        model = TopUp

    partner = factory.SubFactory(PartnerFactory)
    bank_account = factory.SubFactory(BankAccountFactory)
    amount = 100_000
    unique_code = factory.Sequence(lambda n: n % 999 + 1)
    transfer_amount = factory.LazyAttributeSequence(
        lambda o, n: o.amount * (n // 999 + 1) + o.unique_code
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=24))


def deposit_fund(partner, amount: int, environment: str = Environment.PRODUCTION):
    """Put money on a deposit for a test, through the same ledger write as the services."""
    with atomic():
        DepositAccount.objects.get_or_create(
            partner_id=partner.pk, environment=environment
        )
        return ledger_post(
            partner_id=partner.pk,
            environment=environment,
            amount=amount,
            kind=LedgerEntry.Kind.TOPUP,
            description="Saldo awal uji",
        )


def paid_transaction(partner, total: int = 10_000, **fields) -> Transaction:
    from billing.services import transaction_create_paid

    n = next(_refs)
    values = {
        "environment": Environment.PRODUCTION,
        "product_code": "501021",
        "product_name": "Telkomsel 10.000",
        "category": "Pulsa",
        "customer_number": f"0812{n:08d}",
        "reference_id": f"PAY{n:09d}",
        "tagihan": total,
        "admin": 0,
        "request": {"referenceID": f"PAY{n:09d}"},
        "service": "SinglePayment",
    }
    values.update(fields)
    return transaction_create_paid(partner=partner, total=total, **values)


def _counter():
    n = 0
    while True:
        n += 1
        yield n


_refs = _counter()


def png_upload(name: str = "bukti.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
