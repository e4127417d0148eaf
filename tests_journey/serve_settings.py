"""The deployment's own settings plus two knobs the journey needs from the environment.

``portal.settings`` does not read these from the environment, and the journey shares its Redis
database with other runs: a Celery queue of its own keeps its tasks apart (nobody else's
worker takes them, and its worker takes nobody else's), and a short callback back-off keeps the
run quick. Everything else is exactly what `make serve` runs.
"""

from portal.settings import *  # noqa: F403
from portal.settings import env

CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CALLBACK_RETRY_BASE_SECONDS = env.int("CALLBACK_RETRY_BASE_SECONDS", default=30)
