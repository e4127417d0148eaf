"""Queued work of the upstream side: the daily reconciliation."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from billers.services.reconcile import reconcile_due, reconcile_run
from portal.lib.tasks import task_enqueue


@shared_task
def reconcile_one(
    provider_id: int, day: str, environment: str, actor_id: int | None = None
) -> int:
    """Reconcile one provider, day (ISO date) and environment; returns the mismatches."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    run = reconcile_run(
        provider_id=provider_id,
        day=date.fromisoformat(day),
        environment=environment,
        actor=actor,
    )
    return run.mismatched


@shared_task
def reconcile_daily() -> int:
    """Periodic (each night): yesterday's transactions of every enabled provider, one task
    per provider and environment. Returns how many were queued."""
    day = timezone.localdate() - timedelta(days=1)
    due = reconcile_due(day=day)
    for provider_id, environment in due:
        task_enqueue(reconcile_one, provider_id, day.isoformat(), environment)
    return len(due)
