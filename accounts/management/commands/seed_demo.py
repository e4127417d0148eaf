"""Demo data for `make run`: safe to run twice, refused when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User

REVIEWER_USERNAME = "reviewer"
REVIEWER_PASSWORD = "reviewer-demo-2026"  # noqa: S105 - demo only; the command refuses without DEBUG


class Command(BaseCommand):
    help = "Load demo data (a staff reviewer, and what later issues add). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo hanya untuk pengembangan: DEBUG harus aktif.")
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
        reviewer.set_password(REVIEWER_PASSWORD)
        reviewer.save()
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
        self.stdout.write(
            f"Staff reviewer: {settings.SITE_URL}/{settings.ADMIN_URL} "
            f"username={REVIEWER_USERNAME} password={REVIEWER_PASSWORD}"
        )
