"""After the run: the pending payments made final, then the ledger checked."""

import time
from collections import defaultdict

from .config import DB_NAME, PARTNER_CODE, PG_SERVER
from .load import Tally


def pending_count() -> int:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as db:
        return db.execute(
            "SELECT count(*) FROM billing_transaction t JOIN accounts_partner p "
            "ON p.id = t.partner_id WHERE p.code = %s AND t.status = 'pending'",
            [PARTNER_CODE],
        ).fetchone()[0]


def settle(timeout: float, tally: Tally) -> None:
    """Wait (at most ``timeout``) until the Celery worker has made the load's pending
    transactions final."""
    started = time.monotonic()
    left = pending_count()
    while left and time.monotonic() - started < timeout:
        time.sleep(0.5)
        left = pending_count()
    waited = time.monotonic() - started
    state = (
        f"{left} still pending after {waited:.0f} s" if left else "none left pending"
    )
    print(
        f"Pending: {len(tally.pending)} payments answered rc 71 during the run; {state} "
        f"(waited {waited:.1f} s for the Celery worker)",
        flush=True,
    )


def ledger_check(tally: Tally) -> tuple[bool, str]:
    """Every deposit equals the sum of its entries; each transaction of the load's partner
    moved exactly its money (a success: one debit of its total; a failure: its debit
    reversed) and none is pending any more; the successes are the payments answered rc 00
    and some of those answered rc 71; every call made with an Authorization header has its
    log row (written by the server's workers in batches, the last ones when gunicorn
    stopped)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as db:
        accounts = db.execute(
            """
            SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0)
            FROM billing_depositaccount a
            LEFT JOIN billing_ledgerentry e ON e.account_id = a.id
            GROUP BY a.id, a.balance
            """
        ).fetchall()
        transactions = db.execute(
            """
            SELECT t.reference_id, t.status, t.total, COALESCE(SUM(e.amount), 0),
                   COUNT(e.id) FILTER (WHERE e.kind = 'debit')
            FROM billing_transaction t
            JOIN accounts_partner p ON p.id = t.partner_id
            LEFT JOIN billing_ledgerentry e ON e.transaction_id = t.id
            WHERE p.code = %s
            GROUP BY t.id
            """,
            [PARTNER_CODE],
        ).fetchall()
        logged = db.execute("SELECT COUNT(*) FROM openapi_apilog").fetchone()[0]
    expected = {"sukses": lambda total: -total, "gagal": lambda total: 0}
    statuses = defaultdict(int)
    moved_wrong, successes = [], set()
    for reference, status, total, moved, debits in transactions:
        statuses[status] += 1
        if status == "sukses":
            successes.add(reference)
        if status not in expected or moved != expected[status](total) or debits != 1:
            moved_wrong.append((reference, status, total, moved, debits))
    problems = [f"MISMATCH {row}" for row in accounts if row[1] != row[2]]
    if statuses["pending"]:
        problems.append(f"{statuses['pending']} STILL PENDING")
    if moved_wrong:
        problems.append(f"MONEY MOVED WRONGLY {moved_wrong[:3]}")
    if tally.paid - successes:
        problems.append(f"{len(tally.paid - successes)} ANSWERED 00, NOT SUCCESSFUL")
    if successes - tally.paid - tally.pending:
        problems.append(
            f"{len(successes - tally.paid - tally.pending)} SUCCESSFUL, NEVER ANSWERED"
        )
    if logged != tally.calls:
        problems.append("LOG ROWS MISSING")
    counted = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    text = (
        f"{len(accounts)} deposit account(s), {len(transactions)} transactions of the "
        f"load's partner ({counted or 'none'}; {len(tally.paid)} answered 00 and "
        f"{len(tally.pending)} answered 71 by the load), {logged} API log rows for "
        f"{tally.calls} calls"
    )
    return not problems, "; ".join([text, *problems])
