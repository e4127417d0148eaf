"""Demo whitelist: each active demo partner (`demo_partners`) of the demo database may call both
environments from this machine (127.0.0.1 and ::1), approved by the staff reviewer. Safe to
run twice."""

from accounts.management.commands.seed_demo import demo_partners
from accounts.models import User
from connections.models import Connection
from connections.services import connection_create
from portal.lib.environments import Environment

DEMO_ADDRESSES = ["127.0.0.1", "::1"]


def seed(stdout) -> None:
    reviewer = User.objects.filter(is_staff=True, partner__isnull=True).earliest("pk")
    created = 0
    for partner in demo_partners():
        for environment in Environment:
            for address in DEMO_ADDRESSES:
                exists = (
                    Connection.objects.not_deleted()
                    .filter(partner=partner, environment=environment, address=address)
                    .exists()
                )
                if exists:
                    continue
                connection_create(
                    partner=partner,
                    environment=environment,
                    address=address,
                    actor=reviewer,
                    approved=True,
                )
                created += 1
    stdout.write(f"Koneksi: {created} IP whitelist demo (127.0.0.1, ::1) dibuat.")
