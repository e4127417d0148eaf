"""Reads of the Log API page (menu Koneksi)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from openapi.models import ApiLog

# --- the Log API page ---------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    date_from: date
    date_to: date
    environment: str = ""
    path: str = ""
    rc: str = ""
    reference_id: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def api_logs(*, partner, filters: LogFilters) -> QuerySet[ApiLog]:
    """The partner's API calls within the filters, newest first (list columns only)."""
    rows = ApiLog.objects.filter(
        partner=partner,
        created_at__gte=_day_start(filters.date_from),
        created_at__lt=_day_start(filters.date_to + timedelta(days=1)),
    )
    if filters.environment:
        rows = rows.filter(environment=filters.environment)
    if filters.path:
        rows = rows.filter(path=filters.path)
    if filters.rc:
        rows = rows.filter(rc=filters.rc)
    if filters.reference_id:
        rows = rows.filter(reference_id=filters.reference_id)
    return rows.defer("request", "response").order_by("-created_at", "-id")
