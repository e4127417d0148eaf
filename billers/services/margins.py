"""Margins for staff (a read): per local day, provider and product, the successful
transactions' count, what we sold them for, what they cost us and the difference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Max, QuerySet, Sum
from django.db.models.functions import TruncDate

from billing.models import Transaction

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class MarginFilter:
    date_from: date
    date_to: date
    environment: str
    provider_id: int | None = None


def _successful(f: MarginFilter) -> QuerySet[Transaction]:
    qs = Transaction.objects.filter(
        status=Transaction.Status.SUKSES,
        environment=f.environment,
        created_at__gte=_day_start(f.date_from),
        created_at__lt=_day_start(f.date_to + timedelta(days=1)),
    )
    if f.provider_id is not None:
        qs = qs.filter(provider_id=f.provider_id)
    return qs


def margin_rows(f: MarginFilter) -> QuerySet:
    """One row per (day, provider, product code), newest day first: ``day``,
    ``provider__code``, ``provider__name``, ``product_code``, ``product_title``, ``count``,
    ``sold``, ``bought`` and ``margin`` (sold − bought). Lazy: the caller paginates."""
    return (
        _successful(f)
        .annotate(day=TruncDate("created_at", tzinfo=LOCAL_TZ))
        .values(
            "day", "provider_id", "provider__code", "provider__name", "product_code"
        )
        .annotate(
            product_title=Max("product_name"),
            count=Count("id"),
            sold=Sum("sell_price"),
            bought=Sum("buy_price"),
            margin=Sum(F("sell_price") - F("buy_price")),
        )
        .order_by("-day", "provider__code", "product_code")
    )


@dataclass(frozen=True)
class MarginTotals:
    count: int
    sold: int
    bought: int
    margin: int


def margin_totals(f: MarginFilter) -> MarginTotals:
    """The whole period's figures (one aggregate query)."""
    figures = _successful(f).aggregate(
        count=Count("id"),
        sold=Sum("sell_price"),
        bought=Sum("buy_price"),
        margin=Sum(F("sell_price") - F("buy_price")),
    )
    return MarginTotals(
        count=figures["count"] or 0,
        sold=figures["sold"] or 0,
        bought=figures["bought"] or 0,
        margin=figures["margin"] or 0,
    )
