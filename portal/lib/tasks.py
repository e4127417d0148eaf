"""One way to queue a Celery task: after the commit, and never failing the caller.

The rows a task works from are committed before it is queued (a task queued inside the
transaction could run before the commit and find nothing). When the broker cannot be
reached the request that committed them must still answer normally: the error is logged,
the rows stay as they are (an email ``queued``, a callback due) and the periodic sweep of
their kind queues them again once the broker is back.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is down or unreachable (kombu wraps the connection
# errors it retried; a socket error may still come through on its own).
BROKER_ERRORS = (KombuOperationalError, RedisError, OSError)


def task_enqueue(task, *args, countdown: int | None = None, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` when the current transaction commits (at once when
    there is none), after ``countdown`` seconds if given."""

    def publish() -> None:
        try:
            task.apply_async(args, kwargs, countdown=countdown)
        except BROKER_ERRORS as exc:
            logger.error(
                "task %s%r not queued, the broker is unreachable: %s",
                task.name,
                args,
                exc,
            )

    transaction.on_commit(publish)
