from celery import shared_task

from billing.services import topup_expire_overdue


@shared_task
def topup_expire() -> int:
    """Mark top-up requests whose 24-hour transfer window passed without a proof."""
    return topup_expire_overdue()
