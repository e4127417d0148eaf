"""Periodic tasks of the Open API, for the lead to merge into settings:

from openapi.schedule import CELERY_BEAT_SCHEDULE as OPENAPI_BEAT
CELERY_BEAT_SCHEDULE = {**BILLING_BEAT, **OPENAPI_BEAT, ...}
"""

from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "openapi-pending-check": {
        "task": "openapi.tasks.pending_check_all",
        "schedule": timedelta(minutes=5),
    },
    "openapi-prune": {
        "task": "openapi.tasks.prune",
        "schedule": timedelta(hours=24),
    },
}
