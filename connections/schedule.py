"""Periodic tasks of the Koneksi menu (merged into ``CELERY_BEAT_SCHEDULE`` in settings)."""

from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "connections-callback-sweep": {
        "task": "connections.tasks.callback_sweep",
        "schedule": timedelta(minutes=5),
    },
}
