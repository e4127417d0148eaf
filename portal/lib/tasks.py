"""One way to queue a Celery task: after the commit, and never failing the caller.

The rows a task works from are committed before it is queued (a task queued inside the
transaction could run before the commit and find nothing). When the broker cannot be
reached the request that committed them must still answer normally: the error is logged,
the rows stay as they are (an email ``queued``, a callback due) and the periodic sweep of
their kind queues them again once the broker is back.
"""

from __future__ import annotations

import logging
from importlib import import_module

from celery import current_app
from celery.exceptions import NotRegistered
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is down or unreachable (kombu wraps the connection
# errors it retried; a socket error may still come through on its own).
BROKER_ERRORS = (KombuOperationalError, RedisError, OSError)


def _task_named(name: str):
    """The registered task ``name``; a web process registers the tasks of a module only
    once it is imported (a worker imports every app's ``tasks`` at start)."""
    try:
        return current_app.tasks[name]
    except NotRegistered:
        import_module(name.rpartition(".")[0])
        return current_app.tasks[name]


def task_enqueue(task, *args, countdown: int | None = None, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` when the current transaction commits (at once when
    there is none), after ``countdown`` seconds if given.

    ``task`` is the task or its registered name ("connections.tasks.callback_deliver"): a
    services module names the task of its own app's ``tasks``, which imports the services,
    so that the two modules do not import each other."""
    if isinstance(task, str):
        task = _task_named(task)

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
