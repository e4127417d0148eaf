"""Keeping the Open API's own tables small: old log rows, ended sessions, stale inquiries."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from openapi.models import ApiLog, Inquiry, SignOnCounter, SignOnSession

# The Log API page looks back at most 92 days; a little more is kept.
DEFAULT_LOG_RETENTION_DAYS = 100
# An inquiry not paid within a week is asked again (Payment answers rc 61).
INQUIRY_RETENTION = timedelta(days=7)
COUNTER_RETENTION = timedelta(days=31)
BATCH = 5000


def openapi_prune(*, now=None) -> dict[str, int]:
    """Delete what nobody can use any more; returns how many rows of each kind went.
    Log rows are deleted in batches so that a large backlog never holds long locks."""
    now = now or timezone.now()
    days = getattr(settings, "API_LOG_RETENTION_DAYS", DEFAULT_LOG_RETENTION_DAYS)
    log_cutoff = now - timedelta(days=days)
    logs = 0
    while True:
        ids = list(
            ApiLog.objects.filter(created_at__lt=log_cutoff).values_list(
                "pk", flat=True
            )[:BATCH]
        )
        if not ids:
            break
        logs += ApiLog.objects.filter(pk__in=ids).delete()[0]
    sessions = SignOnSession.objects.filter(
        expires_at__lt=now - timedelta(days=1)
    ).delete()[0]
    inquiries = Inquiry.objects.filter(created_at__lt=now - INQUIRY_RETENTION).delete()[
        0
    ]
    counters = SignOnCounter.objects.filter(
        day__lt=timezone.localdate(now) - COUNTER_RETENTION
    ).delete()[0]
    return {
        "api_logs": logs,
        "sessions": sessions,
        "inquiries": inquiries,
        "counters": counters,
    }
