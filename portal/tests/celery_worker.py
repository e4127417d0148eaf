"""A real Celery worker process for portal/tests/test_nodes.py:

    python -m portal.tests.celery_worker --queue Q --prefix P [--visibility-timeout S]

The project's app (``portal.celery``, settings from the environment as `make serve`'s worker
reads them), prefork with one child, consuming only the queue Q and queuing its own tasks
(a partner callback) there, on Redis keys that start with P: the test's tasks, and the
messages a killed worker leaves unacknowledged, never mix with another run's. Everything
else (``acks_late``, ``reject_on_worker_lost``, prefetch 1) is the project's configuration.
"""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument(
        "--visibility-timeout",
        type=int,
        default=3600,
        help="seconds before a message left unacknowledged goes back to its queue "
        "(kombu's default: 3600)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

    from portal.celery import app

    app.conf.update(
        task_always_eager=False,
        task_default_queue=args.queue,
        worker_enable_remote_control=False,
        broker_transport_options={
            "global_keyprefix": args.prefix,
            "visibility_timeout": args.visibility_timeout,
            # Look for messages past their visibility timeout every second (instead of
            # every 100 s), so that a test need not wait for the scan.
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        },
    )
    app.worker_main(
        [
            "worker",
            "--queues",
            args.queue,
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ]
    )


if __name__ == "__main__":
    main()
