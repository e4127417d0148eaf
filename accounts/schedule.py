"""Periodic tasks of accounts (merged into ``CELERY_BEAT_SCHEDULE`` in settings)."""

from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "accounts-login-locks-sweep": {
        "task": "accounts.tasks.login_locks_sweep",
        "schedule": timedelta(hours=1),
    },
}
