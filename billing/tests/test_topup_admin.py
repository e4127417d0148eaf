import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from billing.models import LedgerEntry, TopUp
from billing.services import deposit_balance
from billing.tests.factories import TopUpFactory, png_upload
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus

CHANGELIST = "admin:billing_topup_changelist"


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _approve(client, topup):
    return client.post(
        reverse(CHANGELIST),
        {"action": "review_approve", "_selected_action": [topup.pk]},
        follow=True,
    )


def test_confirming_twice_in_the_admin_credits_once(
    staff_client, partner, mailoutbox, django_capture_on_commit_callbacks
):
    topup = TopUpFactory(
        partner=partner, amount=250_000, unique_code=123, transfer_amount=250_123
    )
    with django_capture_on_commit_callbacks(execute=True):
        _approve(staff_client, topup)
        second = _approve(staff_client, topup)
    assert "sudah diputuskan" in second.content.decode()
    assert LedgerEntry.objects.filter(topup=topup).count() == 1
    assert (
        deposit_balance(partner=partner, environment=Environment.PRODUCTION) == 250_123
    )
    topup.refresh_from_db()
    assert topup.review_status == ReviewStatus.APPROVED
    assert len(mailoutbox) == 1
    assert "Rp 250.123 berhasil" in mailoutbox[0].subject
    assert "Saldo deposit Anda sekarang Rp 250.123" in mailoutbox[0].body


def test_confirming_from_the_detail_page_and_again_from_the_list(staff_client, partner):
    topup = TopUpFactory(partner=partner)
    staff_client.post(
        reverse("admin:billing_topup_review", args=[topup.pk]), {"decision": "approve"}
    )
    _approve(staff_client, topup)
    assert LedgerEntry.objects.filter(topup=topup).count() == 1


def test_rejecting_needs_a_reason_and_credits_nothing(
    staff_client, partner, mailoutbox, django_capture_on_commit_callbacks
):
    topup = TopUpFactory(partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse(CHANGELIST),
            {
                "action": "review_reject",
                "_selected_action": [topup.pk],
                "reason": "Dana belum masuk ke rekening.",
            },
        )
    topup.refresh_from_db()
    assert topup.review_status == ReviewStatus.REJECTED
    assert not LedgerEntry.objects.exists()
    assert "ditolak" in mailoutbox[0].subject
    assert "Dana belum masuk ke rekening." in mailoutbox[0].body


def test_staff_find_a_request_by_the_transferred_amount(staff_client, partner):
    match = TopUpFactory(
        partner=partner, amount=100_000, unique_code=7, transfer_amount=100_007
    )
    TopUpFactory(
        partner=partner, amount=100_000, unique_code=8, transfer_amount=100_008
    )
    page = staff_client.get(reverse(CHANGELIST), {"q": "100.007"})
    assert list(page.context["cl"].result_list) == [match]


def test_staff_download_the_proof_and_nobody_edits_money_rows(
    staff_client, owner_client, partner
):
    topup = TopUpFactory(partner=partner)
    owner_client.post(
        reverse("billing:topup_proof", args=[topup.pk]), {"proof": png_upload()}
    )
    download = staff_client.get(reverse("admin:billing_topup_proof", args=[topup.pk]))
    assert download.status_code == 200
    staff_client.post(
        reverse("admin:billing_topup_review", args=[topup.pk]), {"decision": "approve"}
    )
    entry = LedgerEntry.objects.get()
    assert (
        staff_client.get(
            reverse("admin:billing_ledgerentry_delete", args=[entry.pk])
        ).status_code
        == 403
    )
    change = staff_client.post(
        reverse("admin:billing_ledgerentry_change", args=[entry.pk]), {"amount": 1}
    )
    assert change.status_code == 403
    assert staff_client.get(reverse("admin:billing_ledgerentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.amount == topup.transfer_amount


def test_a_non_staff_user_cannot_reach_the_admin_proof(owner_client, partner):
    topup = TopUpFactory(partner=partner)
    response = owner_client.get(reverse("admin:billing_topup_proof", args=[topup.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_lists_render(staff_client, partner):
    TopUpFactory(partner=partner)
    StaffFactory()
    for name in (
        "admin:billing_topup_changelist",
        "admin:billing_depositaccount_changelist",
        "admin:billing_ledgerentry_changelist",
        "admin:billing_transaction_changelist",
        "admin:billing_bankaccount_changelist",
        "admin:billing_depositadjustment_changelist",
        "admin:billing_depositadjustment_add",
    ):
        assert staff_client.get(reverse(name)).status_code == 200, name
    topup = TopUp.objects.get()
    detail = staff_client.get(reverse("admin:billing_topup_change", args=[topup.pk]))
    assert "Setujui" in detail.content.decode()
