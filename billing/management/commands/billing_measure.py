"""Measure queries and time of the billing pages at growing numbers of transactions.

    DATABASE_URL=postgres://… python manage.py billing_measure --sizes 100 100000

Everything it creates lives inside one database transaction that is rolled back at the end:
the database is left as it was. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Partner, User
from billing.models import DepositAccount, LedgerEntry, Transaction
from portal.lib.environments import Environment

BATCH = 10_000
STATUSES = ["sukses", "sukses", "sukses", "pending", "gagal"]
CATEGORIES = [
    ("501021", "Telkomsel 10.000", "Pulsa"),
    ("100301", "PLN Pascabayar", "Listrik"),
    ("400061", "PDAM Kota Semarang", "PDAM"),
]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure billing pages (queries, time) at several transaction counts."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", nargs="+", type=int, default=[100, 100_000])
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, sizes, repeat, **options):
        for size in sizes:
            try:
                with transaction.atomic():
                    self._measure(size, repeat)
                    raise _Rollback
            except _Rollback:
                pass

    def _measure(self, size: int, repeat: int) -> None:
        stamp = timezone.now().strftime("%H%M%S%f")
        partner = Partner.objects.create(
            code=f"BM{stamp[-10:]}",
            kind="perusahaan",
            name="Mitra Ukur",
            status=Partner.Status.ACTIVE,
        )
        owner = User.objects.create(
            username=f"bm{stamp}",
            email=f"bm{stamp}@ukur.test",
            partner=partner,
            is_owner=True,
        )
        started = time.perf_counter()
        self._fill(partner, size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE billing_transaction")
            cursor.execute("ANALYZE billing_ledgerentry")
        fill = time.perf_counter() - started
        self.stdout.write(
            f"\n== {size:,} transactions and ledger entries "
            f"(created in {fill:.1f} s) =="
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        pages = [
            ("dashboard", reverse("portal:dashboard")),
            ("transaksi", reverse("billing:transactions")),
            (
                "transaksi filter",
                reverse("billing:transactions") + "?status=sukses&category=Pulsa",
            ),
            ("transaksi last page", reverse("billing:transactions") + "?page=999999"),
            ("mutasi", reverse("billing:mutasi")),
        ]
        for label, url in pages:
            queries, best = self._time(client, url, repeat)
            self.stdout.write(f"{label:22} {queries:3d} queries  {best * 1000:8.1f} ms")
        self._export(client, reverse("billing:transactions_export"), "CSV transaksi")
        self._export(client, reverse("billing:mutasi_export"), "CSV mutasi")
        self._plans(partner)

    def _fill(self, partner: Partner, size: int) -> None:
        account = DepositAccount.objects.create(
            partner=partner, environment=Environment.PRODUCTION, balance=size * 1_000
        )
        now = timezone.now()
        # Spread over the last 29 days so every row falls in the report's default range.
        step = timedelta(days=29) / max(size, 1)
        for first in range(0, size, BATCH):
            chunk = range(first, min(first + BATCH, size))
            Transaction.objects.bulk_create(
                Transaction(
                    partner=partner,
                    environment=Environment.PRODUCTION,
                    product_code=CATEGORIES[n % 3][0],
                    product_name=CATEGORIES[n % 3][1],
                    category=CATEGORIES[n % 3][2],
                    customer_number=f"0812{n:08d}",
                    reference_id=f"BM{n:010d}",
                    tagihan=10_000,
                    admin=200,
                    total=10_200,
                    status=STATUSES[n % 5],
                    rc="00",
                    request={"referenceID": f"BM{n:010d}"},
                    response={"rc": "00"},
                    created_at=now - step * n,
                )
                for n in chunk
            )
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    account=account,
                    kind=LedgerEntry.Kind.TOPUP,
                    amount=1_000,
                    balance_after=1_000 * (n + 1),
                    description="ukur",
                    created_at=now - step * (size - n),
                )
                for n in chunk
            )

    def _time(self, client: Client, url: str, repeat: int) -> tuple[int, float]:
        client.get(url)  # warm caches (templates, plans)
        best, queries = float("inf"), 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            queries = len(captured)
        return queries, best

    def _export(self, client: Client, url: str, label: str) -> None:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            size, rows = self._consume(client.get(url))
            elapsed = time.perf_counter() - started
        queries = len(captured)  # now: the next request resets the query log
        # Memory separately: tracing every allocation slows the export down several times.
        tracemalloc.start()
        self._consume(client.get(url))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"{label:22} {queries:3d} queries  {elapsed * 1000:8.1f} ms  "
            f"{rows:,} rows  {size / 1e6:.1f} MB  peak Python memory {peak / 1e6:.1f} MB"
        )

    @staticmethod
    def _consume(response) -> tuple[int, int]:
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        return size, lines - 1  # minus the header

    def _plans(self, partner: Partner) -> None:
        """Show that the report page, today's figures and the statement use the indexes."""
        from django.db.models import Count, Sum

        from billing.selectors import (
            LedgerFilters,
            TransactionFilters,
            day_start,
            ledger_statement,
            local_today,
            transactions_for,
        )

        today = local_today()
        period = {"date_from": today - timedelta(days=29), "date_to": today}
        start = day_start(today)
        queries = {
            "transaksi page": transactions_for(
                partner=partner, filters=TransactionFilters(**period)
            )[:25],
            "transaksi today": Transaction.objects.filter(
                partner=partner,
                environment__in=Environment.values,
                created_at__gte=start,
                created_at__lt=start + timedelta(days=1),
            )
            .order_by()
            .values("environment", "status")
            .annotate(n=Count("id"), value=Sum("total")),
            "mutasi page": ledger_statement(
                partner=partner, filters=LedgerFilters(**period)
            ).entries[:25],
        }
        for label, query in queries.items():
            plan = query.explain()
            used = [line.strip() for line in plan.splitlines() if "Index" in line]
            self.stdout.write(
                f"plan {label}: {used[0] if used else plan.splitlines()[0]}"
            )
