"""Demo data for `make run`: safe to run twice, refused when DEBUG is off.

Each app may add its part in ``<app>/demo.py`` with ``seed(stdout) -> None``; they run in the
order of ``DEMO_ORDER`` (the order a partner's journey builds things up), after the staff
reviewer is in place. The emails the demo causes are kept out of the console.

Demo data goes only into the demo partners, found by their fixed codes (``demo_partners``):
a partner registered by hand is never touched, and the reviewer's password is set only when
seed_demo creates the reviewer.
"""

import logging
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Partner, User

REVIEWER_USERNAME = "reviewer"
REVIEWER_PASSWORD = "reviewer-demo-2026"  # noqa: S105 - demo only; refused without DEBUG
# The partners seed_demo creates (profiles/demo.py: MTRDEMO, MTRDEMO2; openapi/demo.py:
# MTRDEMO3). Real partners are numbered MTR00001…, so these codes never meet one.
DEMO_PARTNER_CODES = ("MTRDEMO", "MTRDEMO2", "MTRDEMO3")
DEMO_ORDER = [
    "profiles",
    "products",
    "connections",
    "integration",
    "billing",
    "openapi",
    "usermgmt",
    "docs_content",
]


class DemoOutput:
    """What the demo modules print: progress at once, their logins kept for the end, where a
    newcomer reads them without scrolling back."""

    def __init__(self, stdout):
        self._stdout = stdout
        self.logins: list[str] = []

    def write(self, text: str) -> None:
        self._stdout.write(text)

    def login(self, text: str) -> None:
        self.logins.append(text)


def login_line(stdout, text: str) -> None:
    """Print a login of the demo; seed_demo prints them last (a plain stream: at once)."""
    getattr(stdout, "login", stdout.write)(text)


@contextmanager
def _quiet_task_logs():
    """The eager tasks' "Task … succeeded" lines of Celery (and kombu's) hidden while the demo
    is built: they would bury the logins."""
    loggers = [logging.getLogger(name) for name in ("celery", "kombu")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def demo_partners():
    """The active demo partners: the only partners the demo modules may write to."""
    return Partner.objects.filter(
        code__in=DEMO_PARTNER_CODES, status=Partner.Status.ACTIVE
    ).order_by("pk")


class Command(BaseCommand):
    help = "Load demo data (catalogue, a staff reviewer, a demo partner). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo hanya untuk pengembangan: DEBUG harus aktif.")
        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        )
        out = DemoOutput(self.stdout)
        with quiet, _quiet_task_logs(), transaction.atomic():
            reviewer, created = User.objects.get_or_create(
                username=REVIEWER_USERNAME,
                defaults={
                    "email": "reviewer@webopenapi.test",
                    "name": "Reviewer Demo",
                    "is_staff": True,
                    "is_superuser": True,
                    "email_verified_at": timezone.now(),
                },
            )
            if created:
                reviewer.set_password(REVIEWER_PASSWORD)
                reviewer.save(update_fields=["password"])
            for app in DEMO_ORDER:
                module = f"{app}.demo"
                if find_spec(module) is not None:
                    import_module(module).seed(out)
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
        self.stdout.write(self.style.MIGRATE_HEADING("Login demo:"))
        for line in out.logins:
            self.stdout.write(line)
        password = REVIEWER_PASSWORD if created else "(tidak diubah)"
        self.stdout.write(
            f"Staff reviewer: {settings.SITE_URL}/{settings.ADMIN_URL} "
            f"username={REVIEWER_USERNAME} password={password}"
        )
