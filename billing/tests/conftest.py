import threading

import pytest
from django.db import connections
from django.db.models import Sum

from billing.models import DepositAccount


def assert_ledger_consistent():
    """Every balance equals the sum of its entries, the last entry's balance_after, and is
    never negative."""
    for account in DepositAccount.objects.annotate(total=Sum("entries__amount")):
        assert account.balance >= 0
        assert account.balance == (account.total or 0), account
        last = account.entries.order_by("-created_at", "-id").first()
        assert (last.balance_after if last else 0) == account.balance


@pytest.fixture
def ledger_consistent():
    return assert_ledger_consistent


def run_concurrently(work, jobs, *, workers: int = 20):
    """Run ``work(job)`` for every job on ``workers`` threads (each with its own database
    connection), all released at once by a barrier. Returns (results, errors)."""
    barrier = threading.Barrier(workers)
    results, errors = [], []
    lock = threading.Lock()
    chunks = [jobs[i::workers] for i in range(workers)]

    def worker(chunk):
        try:
            barrier.wait(timeout=30)
            for job in chunk:
                try:
                    outcome = work(job)
                except Exception as exc:  # collected and asserted by the test
                    outcome = exc
                with lock:
                    (errors if _unexpected(outcome) else results).append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung (deadlock?)"
    return results, errors


def _unexpected(outcome) -> bool:
    from billing.services import BillingError

    return isinstance(outcome, Exception) and not isinstance(outcome, BillingError)


@pytest.fixture
def concurrently():
    return run_concurrently
