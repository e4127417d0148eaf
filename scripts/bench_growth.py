"""Performance as data grows (``make bench-growth``, also run by ``make bench``): not a test,
a measurement.

It recreates the PostgreSQL database ``webopenapi_growth``, migrates it, creates one partner
(owner and a staff user) and then, for each size (100, 10,000, 1,000,000), tops the partner up
to that many transactions and as many deposit ledger entries (PostgreSQL ``INSERT … SELECT …
FROM generate_series``: seconds, not hours), runs ``ANALYZE`` and measures, in this process
through Django's test ``Client``:

    the dashboard, the transaction report (first page, a filtered page, the last page), the
    deposit statement (mutasi), the back office's review lists (top-ups, pending top-ups, UAT
    requests) — median and p95 time and query count over ``--repeat`` requests after two
    warm-ups — and the CSV export of the whole history, once, streamed chunk by chunk (time,
    size, and in a second run the peak Python memory under ``tracemalloc``).

The layout of the data: the newest 100 transactions lie in the report's default 30-day
window (7 hours apart); every further transaction is history before that window (28 s apart,
so 1,000,000 fit in the 366 days an export may cover). The pages must not slow down as the
history grows; the export of the whole history is the one thing that must grow, in time only.

Ledger: one top-up of 4 × 100,200 (with its confirmed TopUp request) then four debits of
100,200 (each linked to its successful/pending transaction), so the running balance cycles
400,800 → 0 and older history can be added below it without touching a row; the account's
balance (the newest ``balance_after``) is set with one UPDATE.

    python scripts/bench_growth.py [--sizes 100 10000 1000000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "webopenapi_growth"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SIZES = (100, 10_000, 1_000_000)
WINDOW_ROWS = 100  # transactions inside the default 30-day window, at every size
PRICE = 100_200  # tagihan 100,000 + admin 200
WARMUPS = 2
TIME_RATIO_LIMIT = 2.0


def environment() -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "off",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
        }
    )


def recreate_database() -> None:
    import psycopg

    admin = psycopg.connect(f"{PG_SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()


# --- seeding ------------------------------------------------------------------------------------


def create_partner() -> dict:
    from django.utils import timezone

    from accounts.models import Partner, User
    from billing.models import BankAccount, DepositAccount, TopUp
    from portal.lib.environments import Environment
    from portal.lib.review import ReviewStatus

    now = timezone.now()
    staff = User.objects.create(
        username="growth-staff",
        email="staff@growth.test",
        is_staff=True,
        is_superuser=True,
        email_verified_at=now,
    )
    partner = Partner.objects.create(
        code="MTRGROW",
        name="PT Tumbuh",
        kind=Partner.Kind.PERUSAHAAN,
        status=Partner.Status.ACTIVE,
    )
    owner = User.objects.create(
        username="mtrgrow",
        partner=partner,
        email="owner@growth.test",
        is_owner=True,
        email_verified_at=now,
    )
    bank = BankAccount.objects.create(bank="BCA", number="1234567890", holder="PT Agg")
    account = DepositAccount.objects.create(
        partner=partner, environment=Environment.PRODUCTION
    )
    # A full page (100) of open requests, so the review queue shows the same rows at every
    # size; the confirmed ones grow with the ledger (one per five entries).
    for n in range(1, 101):
        TopUp.objects.create(
            partner=partner,
            bank_account=bank,
            amount=500_000,
            unique_code=n,
            transfer_amount=500_000 + n,
            expires_at=now + timedelta(days=1),
            review_status=ReviewStatus.PENDING,
            requested_by=owner,
        )
    return {
        "partner": partner,
        "owner": owner,
        "staff": staff,
        "account": account,
        "bank": bank,
        "now": now,
    }


FILL_SQL = """
WITH s AS (
    SELECT a,
           CASE WHEN a < %(window)s
                THEN %(now)s - interval '1 minute' - a * interval '7 hours'
                ELSE %(now)s - interval '30 days' - (a - %(window)s) * interval '28 seconds'
           END AS at
    FROM generate_series(%(lo)s, %(hi)s - 1) AS a
),
tx AS (
    INSERT INTO billing_transaction (
        partner_id, environment, service, product_code, product_name, category,
        customer_number, reference_id, tagihan, admin, total, status, rc, description,
        request, response, created_at, updated_at, completed_at)
    SELECT %(partner)s, 'production', 'Payment',
           (ARRAY['501021', '100301', '400061'])[a %% 3 + 1],
           (ARRAY['Telkomsel 10.000', 'PLN Pascabayar', 'PDAM Kota Semarang'])[a %% 3 + 1],
           (ARRAY['Pulsa', 'Listrik', 'PDAM'])[a %% 3 + 1],
           '0812' || lpad(a::text, 8, '0'),
           'GR' || lpad(a::text, 10, '0'),
           100000, 200, %(price)s,
           (ARRAY['sukses', 'sukses', 'sukses', 'pending', 'gagal'])[a %% 5 + 1],
           CASE WHEN a %% 5 = 4 THEN '14' ELSE '00' END, '',
           jsonb_build_object('referenceID', 'GR' || lpad(a::text, 10, '0')),
           jsonb_build_object('rc', CASE WHEN a %% 5 = 4 THEN '14' ELSE '00' END),
           at, at, CASE WHEN a %% 5 = 3 THEN NULL ELSE at END
    FROM s
    RETURNING id, reference_id, created_at
),
tu AS (
    INSERT INTO billing_topup (
        partner_id, bank_account_id, amount, unique_code, transfer_amount, expires_at,
        proof, review_status, review_reason, submitted_at, decided_at, decided_by_id,
        requested_by_id)
    SELECT %(partner)s, %(bank)s, 4 * %(price)s, (a / 5) %% 999 + 1,
           4 * %(price)s + (a / 5) %% 999 + 1, at + interval '1 day', '', 'approved', '',
           at - interval '1 hour', at, %(staff)s, %(owner)s
    FROM s WHERE a %% 5 = 4
    RETURNING id, decided_at
)
INSERT INTO billing_ledgerentry (
    account_id, kind, amount, balance_after, description, transaction_id, topup_id,
    created_at)
SELECT %(account)s,
       CASE WHEN n %% 5 = 4 THEN 'topup' ELSE 'debit' END,
       CASE WHEN n %% 5 = 4 THEN 4 * %(price)s ELSE -%(price)s END,
       (n %% 5) * %(price)s,
       CASE WHEN n %% 5 = 4 THEN 'Top up' ELSE 'Transaksi ' || tx.reference_id END,
       CASE WHEN n %% 5 = 4 THEN NULL ELSE tx.id END,
       tu.id,
       tx.created_at
FROM (SELECT tx.*, substr(tx.reference_id, 3)::int AS n FROM tx) AS tx
LEFT JOIN tu ON tu.decided_at = tx.created_at AND tx.n %% 5 = 4
"""


def fill(ctx: dict, have: int, size: int) -> None:
    """Add transactions ``have`` … ``size - 1`` (by age: 0 is the newest), all older than
    the ones already there, with their ledger entries and top-ups; no row is changed."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            FILL_SQL,
            {
                "window": WINDOW_ROWS,
                "now": ctx["now"],
                "lo": have,
                "hi": size,
                "price": PRICE,
                "partner": ctx["partner"].pk,
                "bank": ctx["bank"].pk,
                "staff": ctx["staff"].pk,
                "owner": ctx["owner"].pk,
                "account": ctx["account"].pk,
            },
        )
        # The newest entry (age 0) holds the balance: one UPDATE of the account row.
        cursor.execute(
            "UPDATE billing_depositaccount SET balance = ("
            "  SELECT balance_after FROM billing_ledgerentry WHERE account_id = %s"
            "  ORDER BY created_at DESC, id DESC LIMIT 1) WHERE id = %s",
            [ctx["account"].pk, ctx["account"].pk],
        )
    with connection.cursor() as cursor:
        for table in ("billing_transaction", "billing_ledgerentry", "billing_topup"):
            cursor.execute(f"ANALYZE {table}")


def check_ledger(ctx: dict) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), coalesce(sum(amount), 0),
                   (SELECT balance FROM billing_depositaccount WHERE id = %(a)s),
                   count(*) FILTER (WHERE balance_after <> running)
            FROM (
                SELECT amount, balance_after,
                       sum(amount) OVER (ORDER BY created_at, id) AS running
                FROM billing_ledgerentry WHERE account_id = %(a)s
            ) AS entries
            """,
            {"a": ctx["account"].pk},
        )
        count, total, balance, broken = cursor.fetchone()
    ok = total == balance and broken == 0
    return (
        f"ledger {count:,} entries, sum {total:,} = balance {balance:,}, "
        f"{broken} running balances off: {'OK' if ok else 'INCONSISTENT'}"
    )


# --- measuring ----------------------------------------------------------------------------------


def pages(ctx: dict) -> list[tuple[str, str, str]]:
    """(label, who, url)."""
    from django.conf import settings
    from django.urls import reverse

    report = reverse("billing:transactions")
    admin = "/" + settings.ADMIN_URL
    return [
        ("dashboard", "owner", reverse("portal:dashboard")),
        ("transaksi", "owner", report),
        ("transaksi filter", "owner", report + "?status=sukses&category=Pulsa"),
        ("transaksi last page", "owner", report + "?page=999999"),
        ("mutasi", "owner", reverse("billing:mutasi")),
        ("admin top-ups", "staff", admin + "billing/topup/"),
        (
            "admin top-ups pending",
            "staff",
            admin + "billing/topup/?review_status__exact=pending",
        ),
        ("admin UAT requests", "staff", admin + "integration/uatrequest/"),
    ]


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUPS):
        client.get(url)
    times, counts = [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        counts.add(len(captured))
    times.sort()
    return {
        "queries": max(counts),
        "stable": len(counts) == 1,
        "median": statistics.median(times) * 1000,
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000,
    }


def consume(response) -> tuple[int, int]:
    if response.status_code != 200:
        raise RuntimeError(f"export answered {response.status_code}")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines - 1  # minus the header


def measure_export(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        size, rows = consume(client.get(url))
        elapsed = time.perf_counter() - started
    queries = len(captured)
    # Memory in a second run: tracing every allocation slows the export down several times.
    tracemalloc.start()
    consume(client.get(url))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "queries": queries,
        "total": elapsed * 1000,
        "rows": rows,
        "mb": size / 1e6,
        "peak_mb": peak / 1e6,
    }


# --- report -------------------------------------------------------------------------------------


def verdicts(results: dict, exports: dict, sizes: list[int]) -> list[str]:
    small, large = sizes[0], sizes[-1]
    lines, failed = [], False
    labels = list(dict.fromkeys(label for label, _size in results))
    same = [
        label
        for label in labels
        if len({results[label, size]["queries"] for size in sizes}) == 1
        and all(results[label, size]["stable"] for size in sizes)
    ]
    export_same = len({exports[size]["queries"] for size in sizes}) == 1
    ok = len(same) == len(labels) and export_same
    failed |= not ok
    lines.append(
        f"[{'PASS' if ok else 'FAIL'}] query counts identical at every size"
        + (
            ""
            if ok
            else ": differ for "
            + ", ".join(
                [label for label in labels if label not in same]
                + ([] if export_same else ["CSV export"])
            )
        )
    )
    for label in labels:
        ratio = results[label, large]["median"] / results[label, small]["median"]
        p95 = results[label, large]["p95"] / results[label, small]["p95"]
        ok = ratio <= TIME_RATIO_LIMIT
        failed |= not ok
        lines.append(
            f"[{'PASS' if ok else 'FAIL'}] {label}: median at {large:,} = "
            f"{ratio:.2f}× the median at {small:,} (p95 {p95:.2f}×), limit "
            f"{TIME_RATIO_LIMIT:.0f}×"
        )
    peaks = [exports[size]["peak_mb"] for size in sizes]
    # Constant memory: once past one fetch chunk (2,000 rows), the peak must not grow with
    # the row count: the largest size's peak within 2 MB of the one before.
    base = peaks[-2] if len(peaks) > 1 else peaks[0]
    rows = " / ".join(f"{exports[size]['rows']:,}" for size in sizes)
    ok = peaks[-1] - base <= 2.0
    failed |= not ok
    lines.append(
        f"[{'PASS' if ok else 'FAIL'}] CSV export streams in constant memory: peak "
        + " / ".join(f"{peak:.1f} MB" for peak in peaks)
        + f" for {rows} rows "
        f"({exports[large]['mb']:.0f} MB of CSV at {large:,})"
    )
    lines.append("overall: " + ("FAIL" if failed else "PASS"))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    sizes = sorted(args.sizes)

    environment()
    sys.path.insert(0, str(ROOT))
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from billing.selectors import local_today

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ctx = create_partner()
    print(f"database {DB_NAME} migrated in {time.perf_counter() - started:.1f} s")
    clients = {}
    for who in ("owner", "staff"):
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(ctx[who])
    today = local_today()
    export_url = (
        reverse("billing:transactions_export")
        + f"?date_from={today - timedelta(days=365):%Y-%m-%d}&date_to={today:%Y-%m-%d}"
    )

    results, exports, have = {}, {}, 0
    for size in sizes:
        started = time.perf_counter()
        fill(ctx, have, size)
        have = size
        print(
            f"\n== {size:,} transactions: topped up in "
            f"{time.perf_counter() - started:.1f} s; {check_ledger(ctx)}",
            flush=True,
        )
        for label, who, url in pages(ctx):
            results[label, size] = measure(clients[who], url, args.repeat)
            r = results[label, size]
            print(
                f"  {label:24} {r['queries']:3d} q{'' if r['stable'] else '*'}  "
                f"median {r['median']:8.1f} ms  p95 {r['p95']:8.1f} ms",
                flush=True,
            )
        exports[size] = e = measure_export(clients["owner"], export_url)
        print(
            f"  {'CSV export (366 days)':24} {e['queries']:3d} q   total "
            f"{e['total']:8.1f} ms  {e['rows']:,} rows  {e['mb']:.1f} MB  "
            f"peak {e['peak_mb']:.1f} MB",
            flush=True,
        )

    labels = {label: n for n, (label, _who, _url) in enumerate(pages(ctx))}
    print(f"\n{'page':26}{'size':>11}{'queries':>9}{'median ms':>11}{'p95 ms':>9}")
    for (label, size), r in sorted(
        results.items(), key=lambda item: labels[item[0][0]]
    ):
        print(
            f"{label:26}{size:>11,}{r['queries']:>9}{r['median']:>11.1f}{r['p95']:>9.1f}"
        )
    print(
        f"\n{'export':26}{'size':>11}{'queries':>9}{'total ms':>11}{'MB':>9}"
        f"{'peak MB':>9}"
    )
    for size, e in exports.items():
        print(
            f"{'CSV transaksi, 366 days':26}{size:>11,}{e['queries']:>9}"
            f"{e['total']:>11.1f}{e['mb']:>9.1f}{e['peak_mb']:>9.1f}"
        )
    print()
    for line in verdicts(results, exports, sizes):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
