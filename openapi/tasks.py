from celery import shared_task

from openapi.services import pending_resolve_now


@shared_task
def pending_resolve(transaction_id: int) -> None:
    """Resolve a pending transaction a short while after its first answer."""
    pending_resolve_now(transaction_id=transaction_id)
