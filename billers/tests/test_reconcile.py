"""The daily reconciliation against the in-process simulator, whose status answers are
fixed by the customer number's last two digits (``billers.simulator.OUTCOMES``): our
transactions are crafted to agree or disagree with it, one of each kind."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from billers import simulator
from billers.models import Provider, Reconciliation, ReconciliationMismatch
from billers.services.reconcile import mismatch_kind, reconcile_run, theirs_of
from billers.tasks import reconcile_daily
from billing.tests.factories import TransactionFactory
from portal.lib.environments import Environment
from portal.models import AuditEvent
from products.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
PROD = Environment.PRODUCTION
DEV = Environment.DEVELOPMENT
DAY = date(2026, 3, 9)
Kind = ReconciliationMismatch.Kind


@pytest.fixture
def sim():
    provider, _ = Provider.objects.get_or_create(
        code="sim", defaults={"name": "Simulator", "kind": Provider.Kind.SIMULATOR}
    )
    return provider


@pytest.fixture
def unknown_suffix(monkeypatch):
    """A simulator number the provider does not know (status rc 19, "Data tidak
    ditemukan"): the documented numbers have none, so the test adds one."""
    monkeypatch.setitem(
        simulator.OUTCOMES, "19", ("00", "00", "19", "Tidak dikenal penyedia")
    )
    return "19"


def _txn(provider, customer: str, status: str, *, env=PROD, day=DAY, hour=10, **kw):
    return TransactionFactory(
        provider=provider,
        environment=env,
        customer_number=customer,
        status=status,
        created_at=datetime.combine(day, time(hour, 0), tzinfo=WIB),
        upstream_ref=f"W{customer[-12:]:0>19}",
        **kw,
    )


@pytest.fixture
def day_of_transactions(sim, unknown_suffix):
    product = ProductFactory(
        code="100312", category=CategoryFactory(slug="listrik", name="Listrik")
    )
    made = {
        # They agree.
        "ok_success": _txn(sim, "530000000101", "sukses", product=product),
        "ok_failed": _txn(sim, "530000000117", "gagal"),
        "ok_never_taken": _txn(sim, "530000000119", "gagal"),
        # They disagree, one of each kind.
        "success_failed": _txn(sim, "530000000217", "sukses"),
        "failed_success": _txn(sim, "530000000201", "gagal", product=product),
        "ours_pending": _txn(sim, "530000000271", "pending"),
        "theirs_pending": _txn(sim, "530000000265", "sukses"),
        "unknown": _txn(sim, "530000000219", "sukses"),
        # 23:30 WIB is still the day.
        "late_in_the_day": _txn(sim, "530000000317", "sukses", hour=23),
    }
    # Not part of the run: another environment, the day before, another provider.
    _txn(sim, "530000000917", "sukses", env=DEV)
    _txn(sim, "530000000817", "sukses", day=DAY - timedelta(days=1), hour=23)
    other = Provider.objects.create(code="lain", name="Lain", kind="simulator")
    _txn(other, "530000000717", "sukses")
    return made


def test_each_kind_of_mismatch_is_found(day_of_transactions, sim, staff):
    made = day_of_transactions

    run = reconcile_run(provider_id=sim.pk, day=DAY, environment=PROD, actor=staff)

    assert (run.checked, run.matched, run.mismatched) == (9, 3, 6)
    assert run.finished_at is not None and run.requested_by == staff
    found = {
        m.transaction_id: (m.kind, m.ours, m.theirs, m.theirs_rc)
        for m in run.mismatches.all()
    }
    assert found == {
        made["success_failed"].pk: (Kind.SUCCESS_FAILED, "sukses", "gagal", "17"),
        made["failed_success"].pk: (Kind.FAILED_SUCCESS, "gagal", "sukses", "00"),
        made["ours_pending"].pk: (Kind.PENDING, "pending", "sukses", "00"),
        made["theirs_pending"].pk: (Kind.PENDING, "sukses", "pending", "65"),
        made["unknown"].pk: (Kind.UNKNOWN, "sukses", "unknown", "19"),
        made["late_in_the_day"].pk: (Kind.SUCCESS_FAILED, "sukses", "gagal", "17"),
    }
    notes = {m.transaction_id: m.note for m in run.mismatches.all()}
    assert notes[made["ours_pending"].pk] == "Transaksi kami masih pending."
    [event] = AuditEvent.objects.filter(action="reconciliation.finished")
    assert event.after["checked"] == 9 and event.after["mismatched"] == 6
    assert event.actor == staff


def test_nothing_is_changed_by_a_run(day_of_transactions, sim):
    before = {t.pk: (t.status, t.rc) for t in day_of_transactions.values()}
    reconcile_run(provider_id=sim.pk, day=DAY, environment=PROD)
    for txn in day_of_transactions.values():
        txn.refresh_from_db()
        assert (txn.status, txn.rc) == before[txn.pk]


def test_a_day_without_transactions_is_an_empty_run(sim):
    run = reconcile_run(provider_id=sim.pk, day=DAY, environment=DEV)
    assert (run.checked, run.matched, run.mismatched) == (0, 0, 0)


@pytest.mark.parametrize(
    ("ours", "rc", "kind"),
    [
        ("sukses", "00", None),
        ("sukses", "17", Kind.SUCCESS_FAILED),
        ("sukses", "71", Kind.PENDING),
        ("sukses", "19", Kind.UNKNOWN),
        ("gagal", "00", Kind.FAILED_SUCCESS),
        ("gagal", "17", None),
        ("gagal", "19", None),
        ("gagal", "71", Kind.PENDING),
        ("pending", "00", Kind.PENDING),
        ("pending", "19", Kind.PENDING),
    ],
)
def test_the_comparison_table(ours, rc, kind):
    assert mismatch_kind(ours, theirs_of(rc)) == kind


def test_the_daily_task_reconciles_yesterday_per_provider_and_environment(
    sim, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - timedelta(days=1)
    _txn(sim, "530000000117", "sukses", day=yesterday)
    _txn(sim, "530000000101", "sukses", day=yesterday, env=DEV)
    _txn(sim, "530000000101", "sukses", day=yesterday - timedelta(days=1))
    disabled = Provider.objects.create(
        code="mati", name="Mati", kind="simulator", enabled=False
    )
    _txn(disabled, "530000000101", "sukses", day=yesterday)

    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile_daily() == 2

    runs = {
        (r.provider_id, r.day, r.environment): (r.checked, r.mismatched)
        for r in Reconciliation.objects.all()
    }
    assert runs == {
        (sim.pk, yesterday, PROD): (1, 1),
        (sim.pk, yesterday, DEV): (1, 0),
    }
    assert all(r.requested_by is None for r in Reconciliation.objects.all())


def test_the_schedule_runs_it_each_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["billers-reconcile-daily"]
    assert entry["task"] == "billers.tasks.reconcile_daily"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}


# --- the back-office ----------------------------------------------------------------------


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def test_staff_run_one_now_and_read_the_mismatches(
    staff_client, staff, day_of_transactions, sim, django_capture_on_commit_callbacks
):
    run_url = reverse("admin:billers_reconciliation_run")
    assert staff_client.get(run_url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            run_url,
            {"provider": sim.pk, "day": DAY.isoformat(), "environment": PROD},
        )
    assert answer.status_code == 302

    run = Reconciliation.objects.get()
    assert run.requested_by == staff and run.mismatched == 6
    listed = staff_client.get(reverse("admin:billers_reconciliation_changelist"))
    assert listed.status_code == 200
    page = staff_client.get(
        reverse("admin:billers_reconciliation_change", args=[run.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("success_failed", "failed_success", "unknown"):
        txn = day_of_transactions[name]
        assert reverse("admin:billing_transaction_change", args=[txn.pk]) in html
    assert "Kami sukses, penyedia gagal" in html
    assert "Tidak dikenal penyedia" in html
    mismatches = staff_client.get(
        reverse("admin:billers_reconciliationmismatch_changelist"),
        {"kind__exact": Kind.FAILED_SUCCESS},
    ).content.decode()
    assert day_of_transactions["failed_success"].reference_id in mismatches
    assert day_of_transactions["success_failed"].reference_id not in mismatches


def test_the_run_form_refuses_a_future_day(staff_client, sim):
    answer = staff_client.post(
        reverse("admin:billers_reconciliation_run"),
        {
            "provider": sim.pk,
            "day": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "environment": PROD,
        },
    )
    assert answer.status_code == 200
    assert "masa depan" in answer.content.decode()
    assert not Reconciliation.objects.exists()


def test_the_provider_action_and_the_rerun_action(
    staff_client, sim, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - timedelta(days=1)
    _txn(sim, "530000000117", "sukses", day=yesterday)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:billers_provider_changelist"),
            {"action": "reconcile_yesterday", "_selected_action": [sim.pk]},
        )
    runs = Reconciliation.objects.filter(provider=sim, day=yesterday)
    assert sorted(runs.values_list("environment", "checked", "mismatched")) == [
        (DEV, 0, 0),
        (PROD, 1, 1),
    ]

    first = runs.get(environment=PROD)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:billers_reconciliation_changelist"),
            {"action": "run_again", "_selected_action": [first.pk]},
        )
    assert runs.filter(environment=PROD).count() == 2


def test_the_reconciliation_pages_are_refused_to_non_staff(client, owner, sim):
    run = reconcile_run(provider_id=sim.pk, day=DAY, environment=PROD)
    client.force_login(owner)
    for url in (
        reverse("admin:billers_reconciliation_changelist"),
        reverse("admin:billers_reconciliation_change", args=[run.pk]),
        reverse("admin:billers_reconciliationmismatch_changelist"),
    ):
        answer = client.get(url)
        assert answer.status_code == 302 and "/login/" in answer["Location"]
