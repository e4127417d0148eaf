"""seed_demo loads the demo data for `make run`: twice without harm, never without DEBUG."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import REVIEWER_PASSWORD, REVIEWER_USERNAME
from accounts.models import User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_runs_twice_and_leaves_one_reviewer(settings):
    settings.DEBUG = True

    first = _seed()
    users_after_first = User.objects.count()
    second = _seed()

    assert "Data demo siap." in first
    assert "Data demo siap." in second
    assert User.objects.count() == users_after_first
    reviewer = User.objects.get(username=REVIEWER_USERNAME)
    assert reviewer.is_staff and reviewer.is_superuser
    assert reviewer.check_password(REVIEWER_PASSWORD)


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG harus aktif"):
        _seed()

    assert not User.objects.exists()


def _rows_of(partner) -> dict[str, list[dict]]:
    """Every row that belongs to the partner, as plain values."""
    from billing.models import DepositAccount, LedgerEntry, TopUp, Transaction
    from connections.models import CallbackEndpoint, Connection
    from integration.models import LiveRequest, UatRequest
    from products.models import PartnerProduct
    from profiles.models import Credential

    querysets = {
        "deposit": DepositAccount.objects.filter(partner=partner),
        "ledger": LedgerEntry.objects.filter(account__partner=partner),
        "topups": TopUp.objects.filter(partner=partner),
        "transactions": Transaction.objects.filter(partner=partner),
        "products": PartnerProduct.objects.filter(partner=partner),
        "uat": UatRequest.objects.filter(partner=partner),
        "live": LiveRequest.objects.filter(partner=partner),
        "connections": Connection.objects.filter(partner=partner),
        "callbacks": CallbackEndpoint.objects.filter(partner=partner),
        "credentials": Credential.objects.filter(partner=partner),
        "users": User.objects.filter(partner=partner),
    }
    return {name: list(qs.order_by("pk").values()) for name, qs in querysets.items()}


def test_seed_demo_leaves_a_partner_registered_by_hand_untouched(settings):
    """Run again for the README's curl session, seed_demo must not give a real partner fake
    deposits, transactions, requests, IPs or users, nor reset the reviewer's password."""
    from accounts.tests.factories import UserFactory
    from products.models import PartnerProduct, Product
    from products.services import catalogue_load

    settings.DEBUG = True
    catalogue_load()
    owner = UserFactory()
    partner = owner.partner
    # The products the demo would take through UAT and Live, chosen by hand (Development).
    for product in Product.objects.filter(code__in=["100301", "100312", "501021"]):
        PartnerProduct.objects.create(partner=partner, product=product)
    reviewer = User.objects.create_user(
        username=REVIEWER_USERNAME,
        password="own-reviewer-password",  # noqa: S106
        name="Reviewer",
        email="reviewer@example.test",
        is_staff=True,
    )
    before = _rows_of(partner)

    _seed()
    out = _seed()

    assert _rows_of(partner) == before
    reviewer.refresh_from_db()
    assert reviewer.check_password("own-reviewer-password")
    assert REVIEWER_PASSWORD not in out
    # The demo partners themselves did get their data.
    from accounts.management.commands.seed_demo import demo_partners

    assert demo_partners().count() == 2
    assert partner not in demo_partners()
