from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import TopUp
from billing.schedule import CELERY_BEAT_SCHEDULE
from billing.services import BillingError, topup_request
from billing.tasks import topup_expire
from billing.tests.factories import BankAccountFactory, TopUpFactory
from portal.lib.review import ReviewError, ReviewStatus, review_decide
from portal.models import AuditEvent


def _overdue(topup):
    TopUp.objects.filter(pk=topup.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_the_task_expires_unpaid_requests_past_their_deadline(
    partner, mailoutbox, django_capture_on_commit_callbacks
):
    late = TopUpFactory(partner=partner)
    fresh = TopUpFactory(partner=partner)
    _overdue(late)
    with django_capture_on_commit_callbacks(execute=True):
        assert topup_expire() == 1
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.state == TopUp.State.EXPIRED
    assert late.review_status == ReviewStatus.REJECTED
    assert fresh.state == TopUp.State.AWAITING_PAYMENT
    assert AuditEvent.objects.filter(action="topup.expired").count() == 1
    assert "kedaluwarsa" in mailoutbox[0].subject
    assert topup_expire() == 0


def test_a_request_with_a_proof_waits_for_staff(partner):
    topup = TopUpFactory(partner=partner, proof="topup/1/bukti.png")
    _overdue(topup)
    assert topup_expire() == 0
    topup.refresh_from_db()
    assert topup.is_pending


def test_an_expired_request_cannot_be_confirmed(partner, staff):
    topup = TopUpFactory(partner=partner)
    _overdue(topup)
    topup_expire()
    with pytest.raises(ReviewError, match="sudah diputuskan"):
        review_decide(subject=topup, approve=True, actor=staff)


def test_the_beat_schedule_runs_the_task():
    entry = CELERY_BEAT_SCHEDULE["billing-topup-expire"]
    assert entry["task"] == topup_expire.name
    assert entry["schedule"] <= timedelta(minutes=15)


def test_transfer_amounts_are_unique_among_open_requests_only(partner, owner):
    bank = BankAccountFactory()
    # Every code for Rp 100.000 is taken by open requests of other partners but one.
    taken = [
        TopUpFactory(amount=100_000, unique_code=c, transfer_amount=100_000 + c)
        for c in range(1, 999)
    ]
    topup = topup_request(
        partner=partner, actor=owner, amount=100_000, bank_account=bank
    )
    assert topup.unique_code == 999
    with pytest.raises(BillingError, match="Kode unik untuk nominal ini sedang habis"):
        topup_request(partner=partner, actor=owner, amount=100_000, bank_account=bank)
    # Once a request is no longer open, its amount may be given out again.
    _overdue(taken[0])
    topup_expire()
    again = topup_request(
        partner=partner, actor=owner, amount=100_000, bank_account=bank
    )
    assert again.transfer_amount == 100_001
