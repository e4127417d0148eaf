"""A SQLite database as `make run` builds it (migrate + seed_demo), for tests that start real
processes on it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sqlite_demo(base: Path, **extra: str) -> tuple[dict[str, str], str]:
    """Migrate and seed a SQLite database under ``base``; return its environment (without
    Redis, eager tasks, DEBUG on, plus ``extra``) and what seed_demo printed."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "DEBUG": "on",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "PRIVATE_STORAGE_ROOT": str(base / "private"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **extra,
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [*manage, "seed_demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return env, seeded
