"""Periodic tasks of the upstream side (merged into ``CELERY_BEAT_SCHEDULE`` in settings)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # Yesterday's transactions against each provider's status, after the day has closed
    # (CELERY_TIMEZONE is Asia/Jakarta) and late answers have had time to arrive.
    "billers-reconcile-daily": {
        "task": "billers.tasks.reconcile_daily",
        "schedule": crontab(hour=2, minute=30),
    },
}
