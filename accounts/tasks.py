from celery import shared_task

from accounts.services import login_locks_prune


@shared_task
def login_locks_sweep() -> int:
    return login_locks_prune()
