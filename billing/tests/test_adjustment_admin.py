import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from billing.models import DepositAdjustment, LedgerEntry
from billing.services import deposit_balance
from billing.tests.factories import deposit_fund
from portal.lib.environments import Environment
from portal.models import AuditEvent

PROD = Environment.PRODUCTION


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def maker(db):
    return StaffFactory()


@pytest.fixture
def checker(db):
    return StaffFactory()


def _create(client, partner, amount, reason="Koreksi selisih transfer"):
    return client.post(
        reverse("admin:billing_depositadjustment_add"),
        {
            "partner": partner.pk,
            "environment": PROD,
            "amount": amount,
            "reason": reason,
        },
    )


def _approve(client, adjustment):
    return client.post(
        reverse("admin:billing_depositadjustment_changelist"),
        {"action": "review_approve", "_selected_action": [adjustment.pk]},
        follow=True,
    )


def test_one_staff_creates_another_approves(maker, checker, partner):
    deposit_fund(partner, 10_000)
    response = _create(_client(maker), partner, 5_000)
    assert response.status_code == 302
    adjustment = DepositAdjustment.objects.get()
    assert adjustment.created_by == maker
    assert deposit_balance(partner=partner, environment=PROD) == 10_000

    refused = _approve(_client(maker), adjustment)
    assert "staff lain" in refused.content.decode()
    assert not LedgerEntry.objects.filter(adjustment=adjustment).exists()

    _approve(_client(checker), adjustment)
    entry = LedgerEntry.objects.get(adjustment=adjustment)
    assert entry.kind == LedgerEntry.Kind.ADJUSTMENT
    assert entry.created_by == checker
    assert "Koreksi selisih transfer" in entry.description
    assert deposit_balance(partner=partner, environment=PROD) == 15_000
    assert AuditEvent.objects.filter(action="deposit_adjustment.created").exists()
    assert AuditEvent.objects.filter(action="deposit_adjustment.approved").exists()
    _approve(_client(checker), adjustment)
    assert LedgerEntry.objects.filter(adjustment=adjustment).count() == 1


def test_a_reason_is_required_and_zero_is_refused(maker, partner):
    response = _create(_client(maker), partner, 0, reason="   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "tidak boleh 0" in page
    assert not DepositAdjustment.objects.exists()


def test_a_negative_adjustment_cannot_take_the_balance_below_zero(
    maker, checker, partner
):
    deposit_fund(partner, 10_000)
    _create(_client(maker), partner, -20_000)
    adjustment = DepositAdjustment.objects.get()
    response = _approve(_client(checker), adjustment)
    assert "tidak mencukupi" in response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.is_pending
    assert deposit_balance(partner=partner, environment=PROD) == 10_000


def test_an_adjustment_is_not_edited_after_creation(maker, partner):
    _create(_client(maker), partner, 5_000)
    adjustment = DepositAdjustment.objects.get()
    _client(maker).post(
        reverse("admin:billing_depositadjustment_change", args=[adjustment.pk]),
        {"partner": partner.pk, "environment": PROD, "amount": 999, "reason": "x"},
    )
    adjustment.refresh_from_db()
    assert adjustment.amount == 5_000
