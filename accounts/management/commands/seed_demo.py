"""Demo data for `make run`: safe to run twice, refused when DEBUG is off.

Each app may add its part in ``<app>/demo.py`` with ``seed(stdout) -> None``; they run in the
order of INSTALLED_APPS, after the staff reviewer is in place.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

REVIEWER_USERNAME = "reviewer"
REVIEWER_PASSWORD = "reviewer-demo-2026"  # noqa: S105 - demo only; refused without DEBUG


class Command(BaseCommand):
    help = "Load demo data (catalogue, a staff reviewer, a demo partner). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo hanya untuk pengembangan: DEBUG harus aktif.")
        with transaction.atomic():
            reviewer, _created = User.objects.get_or_create(
                username=REVIEWER_USERNAME,
                defaults={
                    "email": "reviewer@webopenapi.test",
                    "name": "Reviewer Demo",
                    "is_staff": True,
                    "is_superuser": True,
                    "email_verified_at": timezone.now(),
                },
            )
            reviewer.set_password(REVIEWER_PASSWORD)
            reviewer.save()
            for config in apps.get_app_configs():
                module = f"{config.name}.demo"
                if find_spec(module) is not None:
                    import_module(module).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
        self.stdout.write(
            f"Staff reviewer: {settings.SITE_URL}/{settings.ADMIN_URL} "
            f"username={REVIEWER_USERNAME} password={REVIEWER_PASSWORD}"
        )
