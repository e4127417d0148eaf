"""Reads of billing: balances, the transaction report, the dashboard figures, the statement.

Every query starts from a partner and, for transactions and ledger entries, a bounded time
range, so that it runs on the (partner, environment, created_at) and (account, created_at)
indexes and costs the same number of queries however many rows a partner has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Partner
from billing.models import DepositAccount, LedgerEntry, TopUp, Transaction
from portal.lib.environments import Environment

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
STATUSES = [s.value for s in Transaction.Status]


def local_today() -> date:
    return timezone.localdate(timezone=LOCAL_TZ)


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in Asia/Jakarta, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


# --- deposit ------------------------------------------------------------------------------


def deposit_balance(*, partner: Partner, environment: str) -> int:
    """The current balance of the partner's deposit in ``environment`` (0 if none yet)."""
    return DepositAccount.balance_of(partner_id=partner.pk, environment=environment)


def deposit_balances(*, partner: Partner) -> dict[str, int]:
    """Both balances in one query: ``{"production": …, "development": …}``."""
    balances = dict.fromkeys(Environment.values, 0)
    balances.update(
        DepositAccount.objects.filter(partner=partner).values_list(
            "environment", "balance"
        )
    )
    return balances


# --- transactions -------------------------------------------------------------------------


@dataclass(frozen=True)
class TransactionFilters:
    """What the report's filter form hands over, already cleaned; dates are local days."""

    date_from: date
    date_to: date
    environment: str = Environment.PRODUCTION
    status: str = ""
    category: str = ""
    product: str = ""
    customer_number: str = ""
    reference_id: str = ""


def transactions_for(*, partner: Partner, filters: TransactionFilters) -> QuerySet:
    """The partner's transactions matching ``filters``, newest first."""
    qs = Transaction.objects.filter(
        partner=partner,
        environment=filters.environment,
        created_at__gte=day_start(filters.date_from),
        created_at__lt=day_start(filters.date_to + timedelta(days=1)),
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category__iexact=filters.category)
    if filters.product:
        qs = qs.filter(
            Q(product_code__iexact=filters.product)
            | Q(product_name__icontains=filters.product)
        )
    if filters.customer_number:
        qs = qs.filter(customer_number=filters.customer_number)
    if filters.reference_id:
        qs = qs.filter(reference_id=filters.reference_id)
    return qs.order_by("-created_at", "-id")


@dataclass
class StatusFigures:
    count: int = 0
    total: int = 0


@dataclass
class Totals:
    """Count and value of a set of transactions, overall and per status."""

    count: int = 0
    total: int = 0
    by_status: dict[str, StatusFigures] = field(
        default_factory=lambda: {s: StatusFigures() for s in STATUSES}
    )


def transaction_totals(qs: QuerySet) -> Totals:
    """One aggregate query over ``qs``."""
    aggregates = {"n": Count("id"), "sum": Sum("total")}
    for status in STATUSES:
        aggregates[f"n_{status}"] = Count("id", filter=Q(status=status))
        aggregates[f"sum_{status}"] = Sum("total", filter=Q(status=status))
    row = qs.order_by().aggregate(**aggregates)
    totals = Totals(count=row["n"] or 0, total=row["sum"] or 0)
    for status in STATUSES:
        totals.by_status[status] = StatusFigures(
            count=row[f"n_{status}"] or 0, total=row[f"sum_{status}"] or 0
        )
    return totals


def transactions_today(*, partner: Partner) -> dict[str, Totals]:
    """Today's (Asia/Jakarta) count and value by status, per environment, in one query."""
    start = day_start(local_today())
    result = {env: Totals() for env in Environment.values}
    rows = (
        Transaction.objects.filter(
            partner=partner,
            environment__in=Environment.values,
            created_at__gte=start,
            created_at__lt=start + timedelta(days=1),
        )
        .order_by()
        .values("environment", "status")
        .annotate(n=Count("id"), value=Sum("total"))
    )
    for row in rows:
        totals = result[row["environment"]]
        figures = totals.by_status.setdefault(row["status"], StatusFigures())
        figures.count += row["n"]
        figures.total += row["value"] or 0
        totals.count += row["n"]
        totals.total += row["value"] or 0
    return result


@dataclass
class DayFigures:
    day: date
    by_status: dict[str, StatusFigures]

    @property
    def count(self) -> int:
        return sum(f.count for f in self.by_status.values())

    @property
    def value(self) -> int:
        """Value of the successful transactions of the day."""
        return self.by_status[Transaction.Status.SUKSES].total


def transactions_daily(
    *, partner: Partner, environment: str = Environment.PRODUCTION, days: int = 30
) -> list[DayFigures]:
    """One entry per local day of the last ``days`` days (today included), oldest first."""
    today = local_today()
    first = today - timedelta(days=days - 1)
    series = {
        first + timedelta(days=i): DayFigures(
            day=first + timedelta(days=i),
            by_status={s: StatusFigures() for s in STATUSES},
        )
        for i in range(days)
    }
    rows = (
        Transaction.objects.filter(
            partner=partner,
            environment=environment,
            created_at__gte=day_start(first),
            created_at__lt=day_start(today + timedelta(days=1)),
        )
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=LOCAL_TZ))
        .values("day", "status")
        .annotate(n=Count("id"), value=Sum("total"))
    )
    for row in rows:
        day = series.get(row["day"])
        if day is not None and row["status"] in day.by_status:
            day.by_status[row["status"]] = StatusFigures(
                count=row["n"], total=row["value"] or 0
            )
    return list(series.values())


# --- ledger -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    date_from: date
    date_to: date
    environment: str = Environment.PRODUCTION
    kind: str = ""


@dataclass
class Statement:
    """A deposit statement for a period: its entries and the balances around them."""

    account: DepositAccount | None
    entries: QuerySet
    count: int = 0
    opening_balance: int = 0
    credit: int = 0
    debit: int = 0
    closing_balance: int = 0


def ledger_entries_for(*, partner: Partner, filters: LedgerFilters) -> QuerySet:
    """The entries of the partner's deposit in the period, newest first (joined to the
    account, so no separate lookup is needed: used by the CSV export)."""
    entries = LedgerEntry.objects.filter(
        account__partner=partner,
        account__environment=filters.environment,
        created_at__gte=day_start(filters.date_from),
        created_at__lt=day_start(filters.date_to + timedelta(days=1)),
    )
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    return entries.order_by("-created_at", "-id")


def ledger_statement(*, partner: Partner, filters: LedgerFilters) -> Statement:
    """The entries of the partner's deposit in the period (newest first), with the balance
    before the period, the sums of credits and debits, and the balance at its end."""
    account = DepositAccount.objects.filter(
        partner=partner, environment=filters.environment
    ).first()
    if account is None:
        return Statement(account=None, entries=LedgerEntry.objects.none())
    start = day_start(filters.date_from)
    end = day_start(filters.date_to + timedelta(days=1))
    in_period = LedgerEntry.objects.filter(
        account=account, created_at__gte=start, created_at__lt=end
    )
    entries = in_period
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    entries = entries.order_by("-created_at", "-id")
    opening = (
        LedgerEntry.objects.filter(account=account, created_at__lt=start)
        .order_by("-created_at", "-id")
        .values_list("balance_after", flat=True)
        .first()
    ) or 0
    sums = entries.order_by().aggregate(
        n=Count("id"),
        credit=Sum("amount", filter=Q(amount__gt=0)),
        debit=Sum("amount", filter=Q(amount__lt=0)),
    )
    closing = (
        in_period.order_by("-created_at", "-id")
        .values_list("balance_after", flat=True)
        .first()
    )
    return Statement(
        account=account,
        entries=entries,
        count=sums["n"] or 0,
        opening_balance=opening,
        credit=sums["credit"] or 0,
        debit=-(sums["debit"] or 0),
        closing_balance=opening if closing is None else closing,
    )


# --- top-ups ------------------------------------------------------------------------------


def topups_for(*, partner: Partner) -> QuerySet:
    return TopUp.objects.filter(partner=partner).select_related("bank_account")
