"""Demo sub-users: the owner of each active demo partner (`demo_partners`) adds a Keuangan and a
Laporan user (log in with the username or phone number shown). Safe to run twice."""

from accounts.management.commands.seed_demo import demo_partners, login_line
from accounts.models import User
from usermgmt.rights import ROLES
from usermgmt.services import sub_user_create

DEMO_PASSWORD = "subuser-demo-2026"  # noqa: S105 - demo only; seed_demo needs DEBUG
DEMO_ROLES = ["keuangan", "laporan"]


def _free_phone(seed: int) -> str:
    number = 87700000000 + seed
    while User.objects.filter(phone=f"+62{number}").exists():
        number += 1
    return f"+62{number}"


def seed(stdout) -> None:
    created = []
    for partner in demo_partners():
        owner = partner.owner
        if owner is None:
            continue
        for index, role in enumerate(DEMO_ROLES):
            email = f"{role}.{partner.code.lower()}@mitra.test"
            if User.objects.filter(email__iexact=email).exists():
                continue
            label, rights = ROLES[role]
            user = sub_user_create(
                actor=owner,
                name=f"{label} {partner.name}"[:150],
                email=email,
                phone=_free_phone(partner.pk * 10 + index),
                password=DEMO_PASSWORD,
                rights=rights,
            )
            created.append(f"{user.username} ({label})")
    login_line(
        stdout,
        f"Manajemen User: {len(created)} sub-user demo dibuat"
        + (f": {', '.join(created)}; password={DEMO_PASSWORD}." if created else "."),
    )
