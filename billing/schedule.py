"""Periodic tasks of billing, for the lead to merge into settings:

from billing.schedule import CELERY_BEAT_SCHEDULE as BILLING_BEAT
CELERY_BEAT_SCHEDULE = {**BILLING_BEAT, ...}
"""

from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "billing-topup-expire": {
        "task": "billing.tasks.topup_expire",
        "schedule": timedelta(minutes=5),
    },
}
