"""Periodic tasks of the portal package, merged into CELERY_BEAT_SCHEDULE by settings."""

from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "portal-email-sweep": {
        "task": "portal.tasks.email_sweep",
        "schedule": timedelta(minutes=5),
    },
    "portal-kept-uploads-sweep": {
        "task": "portal.tasks.kept_uploads_sweep",
        "schedule": timedelta(hours=1),
    },
}
