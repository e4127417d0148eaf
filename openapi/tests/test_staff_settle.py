"""Suspect transactions settled by staff: pending past the staff deadline, made final by
hand (Sukses with an SN, or Gagal with the money back), with a reason, audited, exactly
once, also when a provider's answer races the staff member."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission
from django.db import connections
from django.test import Client
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from billers.adapters.base import BillerAnswer
from billing.models import LedgerEntry, Transaction
from billing.services import deposit_balance
from billing.tests.factories import deposit_fund, paid_transaction
from connections.models import CallbackDelivery
from connections.tests.factories import CallbackEndpointFactory
from openapi.services.pending import (
    SettleRefused,
    pending_record,
    pending_settle_by_staff,
)
from portal.lib.environments import Environment
from portal.models import AuditEvent

PROD = Environment.PRODUCTION
# Callbacks to this machine are allowed in Development only (the race test's partner server).
DEV = Environment.DEVELOPMENT
FUNDS = 100_000
TOTAL = 10_000
# The partner's callback server of the race test: the first free port of these.
RECEIVER_PORTS = range(8771, 8780)
QUEUE = reverse_lazy("admin:openapi_suspecttransaction_changelist")


def _suspect(partner, **fields) -> Transaction:
    """A pending, debited transaction past the staff deadline."""
    txn = paid_transaction(partner, total=TOTAL, **fields)
    Transaction.objects.filter(pk=txn.pk).update(escalated_at=timezone.now())
    txn.refresh_from_db()
    return txn


def _kinds(txn) -> list[str]:
    return sorted(
        LedgerEntry.objects.filter(transaction=txn).values_list("kind", flat=True)
    )


def _settled_events(txn):
    return AuditEvent.objects.filter(
        action="transaction.settled_by_staff", subject_id=str(txn.pk)
    )


@pytest.fixture
def funded(partner):
    deposit_fund(partner, FUNDS)
    CallbackEndpointFactory(partner=partner, environment=PROD)
    return partner


@pytest.mark.django_db
def test_failed_by_staff_gives_the_money_back_once_and_is_audited(funded, staff):
    txn = _suspect(funded)
    assert deposit_balance(partner=funded, environment=PROD) == FUNDS - TOTAL

    settled = pending_settle_by_staff(
        transaction_id=txn.pk,
        success=False,
        reason="Penyedia konfirmasi gagal via telepon",
        actor=staff,
        ip="10.0.0.9",
    )

    assert settled.status == Transaction.Status.GAGAL and settled.rc == "17"
    assert _kinds(txn) == ["debit", "reversal"]
    assert deposit_balance(partner=funded, environment=PROD) == FUNDS
    [event] = _settled_events(txn)
    assert event.actor == staff and event.partner == funded
    assert event.ip == "10.0.0.9"
    assert event.before == {"status": "pending", "rc": txn.rc}
    assert event.after["status"] == "gagal"
    assert event.after["reason"] == "Penyedia konfirmasi gagal via telepon"
    [callback] = CallbackDelivery.objects.filter(transaction_id=txn.pk)
    assert callback.payload["rc"] == "17"
    assert callback.payload["data"]["status"] == "GAGAL"
    reversal = LedgerEntry.objects.get(transaction=txn, kind="reversal")
    assert reversal.created_by == staff

    with pytest.raises(SettleRefused, match="sudah final"):
        pending_settle_by_staff(
            transaction_id=txn.pk, success=False, reason="Ulang", actor=staff
        )
    with pytest.raises(SettleRefused, match="sudah final"):
        pending_settle_by_staff(
            transaction_id=txn.pk, success=True, sn="SN1", reason="Ulang", actor=staff
        )
    assert _kinds(txn) == ["debit", "reversal"]
    assert _settled_events(txn).count() == 1
    assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1
    assert deposit_balance(partner=funded, environment=PROD) == FUNDS


@pytest.mark.django_db
def test_success_by_staff_keeps_the_money_and_sends_the_sn(funded, staff):
    txn = _suspect(funded)

    settled = pending_settle_by_staff(
        transaction_id=txn.pk,
        success=True,
        sn="SN-MANUAL-77",
        reason="Cek di dashboard penyedia: sukses",
        actor=staff,
    )

    assert settled.status == Transaction.Status.SUKSES and settled.rc == "00"
    settled.refresh_from_db()
    assert settled.response["data"]["sn"] == "SN-MANUAL-77"
    assert settled.response["data"]["status"] == "SUKSES"
    assert _kinds(txn) == ["debit"]
    assert deposit_balance(partner=funded, environment=PROD) == FUNDS - TOTAL
    [callback] = CallbackDelivery.objects.filter(transaction_id=txn.pk)
    assert callback.payload["data"]["sn"] == "SN-MANUAL-77"
    assert _settled_events(txn).get().after["sn"] == "SN-MANUAL-77"

    # A provider's late answer finds it final and changes nothing.
    late = pending_record(transaction_id=txn.pk, answer=BillerAnswer(rc="17"))
    assert late.status == Transaction.Status.SUKSES
    assert _kinds(txn) == ["debit"]
    assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1


@pytest.mark.django_db
def test_a_provider_answer_first_makes_the_staff_resolution_refused(funded, staff):
    txn = _suspect(funded)
    pending_record(transaction_id=txn.pk, answer=BillerAnswer(rc="17"))

    with pytest.raises(SettleRefused, match="sudah final"):
        pending_settle_by_staff(
            transaction_id=txn.pk, success=True, sn="SN9", reason="x", actor=staff
        )

    txn.refresh_from_db()
    assert txn.status == Transaction.Status.GAGAL
    assert _kinds(txn) == ["debit", "reversal"]
    assert not _settled_events(txn).exists()
    assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("success", "sn", "reason", "message"),
    [
        (False, "", "   ", "Alasan wajib diisi"),
        (True, "", "sukses kata penyedia", "SN wajib diisi"),
    ],
)
def test_a_reason_and_for_success_an_sn_are_required(
    funded, staff, success, sn, reason, message
):
    txn = _suspect(funded)
    with pytest.raises(SettleRefused, match=message):
        pending_settle_by_staff(
            transaction_id=txn.pk, success=success, sn=sn, reason=reason, actor=staff
        )
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.PENDING
    assert not AuditEvent.objects.filter(action="transaction.settled_by_staff")


@pytest.mark.django_db
def test_a_pending_transaction_before_the_deadline_is_not_settled(funded, staff):
    txn = paid_transaction(funded, total=TOTAL)
    with pytest.raises(SettleRefused, match="belum melewati batas waktu"):
        pending_settle_by_staff(
            transaction_id=txn.pk, success=False, reason="terlalu cepat", actor=staff
        )
    assert _kinds(txn) == ["debit"]


# --- the race -----------------------------------------------------------------------------


class _PartnerServer:
    """The partner's callback server: answers 200 and counts what it received."""

    def __init__(self, port: int):
        self.received = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.received += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status":"OK"}')

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def partner_server():
    for port in RECEIVER_PORTS:
        try:
            server = _PartnerServer(port)
        except OSError:  # taken by a test of another xdist worker
            continue
        break
    else:
        pytest.fail(f"no free port in {RECEIVER_PORTS}")
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("provider_says", ["00", "17"])
def test_staff_racing_a_provider_answer_resolves_it_once(
    partner, partner_server, provider_says
):
    """The staff member says Gagal while the provider's callback says ``provider_says``:
    whichever takes the row lock first decides; the other changes nothing. The partner's
    server receives one callback per transaction."""
    staff = StaffFactory()
    deposit_fund(partner, FUNDS, DEV)
    CallbackEndpointFactory(
        partner=partner,
        environment=DEV,
        url=f"http://127.0.0.1:{partner_server.port}/callback",
    )
    suspects = [_suspect(partner, environment=DEV) for _ in range(6)]
    outcomes: dict[int, dict] = {txn.pk: {} for txn in suspects}

    def staff_side(pk):
        try:
            pending_settle_by_staff(
                transaction_id=pk, success=False, reason="balapan", actor=staff
            )
            outcomes[pk]["staff"] = "settled"
        except SettleRefused:
            outcomes[pk]["staff"] = "refused"

    def provider_side(pk):
        pending_record(
            transaction_id=pk,
            answer=BillerAnswer(rc=provider_says, data={"sn": "SN-PROV"}),
        )

    for txn in suspects:
        barrier = threading.Barrier(2)

        def run(work, pk=txn.pk, barrier=barrier):
            try:
                barrier.wait(timeout=10)
                work(pk)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=run, args=(staff_side,)),
            threading.Thread(target=run, args=(provider_side,)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)

    for txn in suspects:
        txn.refresh_from_db()
        staff_won = outcomes[txn.pk]["staff"] == "settled"
        assert txn.status != Transaction.Status.PENDING
        if staff_won:
            assert txn.status == Transaction.Status.GAGAL
        else:
            expected = "sukses" if provider_says == "00" else "gagal"
            assert txn.status == expected
        reversed_ = txn.status == Transaction.Status.GAGAL
        assert _kinds(txn) == (["debit", "reversal"] if reversed_ else ["debit"])
        assert _settled_events(txn).count() == (1 if staff_won else 0)
        assert CallbackDelivery.objects.filter(transaction_id=txn.pk).count() == 1
    expected_balance = FUNDS - sum(
        TOTAL for txn in suspects if txn.status == Transaction.Status.SUKSES
    )
    assert deposit_balance(partner=partner, environment=DEV) == expected_balance
    assert partner_server.received == len(suspects)


# --- the back-office page -----------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_admin_asks_for_confirmation_then_settles_once(funded, staff):
    txn = _suspect(funded)
    client = _client(staff)
    url = reverse("admin:openapi_suspecttransaction_settle", args=[txn.pk])
    change = client.get(reverse("admin:billing_transaction_change", args=[txn.pk]))
    assert change.status_code == 200
    assert url in change.content.decode()

    form = client.get(url)
    assert form.status_code == 200
    data = {"outcome": "gagal", "sn": "", "reason": "Penyedia: gagal"}
    asked = client.post(url, data)
    assert asked.status_code == 200
    assert 'id="settle-confirm"' in asked.content.decode()
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.PENDING

    done = client.post(url, {**data, "confirm": "yes"}, follow=True)
    assert done.status_code == 200
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.GAGAL
    assert _kinds(txn) == ["debit", "reversal"]

    # The same confirmed form again (a double submit): final, nothing changes.
    again = client.post(url, {**data, "confirm": "yes"}, follow=True)
    assert "tidak menunggu keputusan staf" in again.content.decode()
    assert _kinds(txn) == ["debit", "reversal"]
    assert _settled_events(txn).count() == 1
    # Settled, it has left the suspect queue.
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert txn.reference_id not in queue.content.decode()


@pytest.mark.django_db
def test_the_queue_action_opens_the_settle_page_of_one_transaction(funded, staff):
    first, second = _suspect(funded), _suspect(funded)
    client = _client(staff)
    queue = client.get(QUEUE).content.decode()
    assert first.reference_id in queue and second.reference_id in queue
    assert 'value="settle_selected"' in queue

    one = client.post(
        QUEUE, {"action": "settle_selected", "_selected_action": [first.pk]}
    )
    assert one.status_code == 302
    assert one["Location"] == reverse(
        "admin:openapi_suspecttransaction_settle", args=[first.pk]
    )
    both = client.post(
        QUEUE,
        {"action": "settle_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "Pilih tepat satu transaksi" in both.content.decode()
    assert not _settled_events(first).exists()


@pytest.mark.django_db
def test_the_admin_form_requires_reason_and_sn(funded, staff):
    txn = _suspect(funded)
    url = reverse("admin:openapi_suspecttransaction_settle", args=[txn.pk])
    answer = _client(staff).post(url, {"outcome": "sukses", "sn": "", "reason": ""})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "SN wajib diisi" in html
    assert 'id="settle-confirm"' not in html
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.PENDING


@pytest.mark.django_db
def test_the_settle_page_is_for_staff_with_the_right_only(funded, owner):
    txn = _suspect(funded)
    url = reverse("admin:openapi_suspecttransaction_settle", args=[txn.pk])

    partner_user = _client(owner)
    answer = partner_user.post(
        url, {"outcome": "gagal", "reason": "x", "confirm": "yes"}
    )
    assert answer.status_code == 302 and "/login/" in answer["Location"]

    # Seeing transactions, or even the suspect queue, is not the right to settle one.
    viewer = StaffFactory(is_superuser=False)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_transaction"),
        Permission.objects.get(codename="change_transaction"),
        Permission.objects.get(codename="view_suspecttransaction"),
    )
    viewer_client = _client(viewer)
    queue = viewer_client.get(QUEUE)
    assert queue.status_code == 200
    assert 'value="settle_selected"' not in queue.content.decode()
    refused = viewer_client.post(
        url, {"outcome": "gagal", "reason": "x", "confirm": "yes"}
    )
    assert refused.status_code == 403
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.PENDING

    # The right to settle is the change permission of the suspect queue.
    settler = StaffFactory(is_superuser=False)
    settler.user_permissions.add(
        Permission.objects.get(codename="change_suspecttransaction")
    )
    settler_client = _client(settler)
    assert settler_client.get(QUEUE).status_code == 200
    done = settler_client.post(
        url, {"outcome": "gagal", "reason": "x", "confirm": "yes"}
    )
    assert done.status_code == 302
    txn.refresh_from_db()
    assert txn.status == Transaction.Status.GAGAL
    assert _settled_events(txn).count() == 1
