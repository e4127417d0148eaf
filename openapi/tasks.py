from celery import shared_task

from billing.models import Transaction
from openapi.services import pending_resolve_now, pending_sweep
from openapi.services.housekeeping import openapi_prune

# Back-off of the checks of a transaction the biller still calls pending: 1, 2, 4 … minutes,
# then the periodic sweep takes over.
MAX_CHECKS = 8


@shared_task(bind=True, max_retries=MAX_CHECKS)
def pending_resolve(self, transaction_id: int) -> str | None:
    """Resolve a pending transaction a short while after its first answer."""
    txn = pending_resolve_now(transaction_id=transaction_id)
    if txn is not None and txn.status == Transaction.Status.PENDING:
        if self.request.retries < MAX_CHECKS and not self.request.is_eager:
            raise self.retry(countdown=60 * 2**self.request.retries)
    return txn.status if txn is not None else None


@shared_task
def pending_check_all() -> int:
    """Periodic: resolve pending transactions whose scheduled check was lost."""
    return pending_sweep()


@shared_task
def prune() -> dict:
    """Daily: old API log rows, ended sessions, stale inquiries and counters."""
    return openapi_prune()
