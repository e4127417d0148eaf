"""Demo partners for `make run`, built through the same services as the portal and the
back-office: an approved company with credentials of known passwords, and a person whose
profile waits for the reviewer. Safe to run twice: existing demo partners are left alone."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.management.commands.seed_demo import login_line
from accounts.models import Partner, User
from portal.lib.review import review_decide
from profiles import services
from profiles.models import Credential, document_kinds

REVIEWER_USERNAME = "reviewer"
OWNER_PASSWORD = "demo-mitra-2026"  # noqa: S105 - demo only; seed_demo refuses without DEBUG
PASSWORDS = {  # noqa: S105 - demo only
    "webreport": "demo-report-2026",
    "production": "demo-prod-2026",
    "development": "demo-dev-2026",
}

ACTIVE = {
    "code": "MTRDEMO",
    "kind": Partner.Kind.PERUSAHAAN,
    "name": "PT Demo Mitra Digital",
    "owner": ("demo", "Dewi Lestari", "demo@mitra.test", "+6281200000001"),
    "data": {
        "company_name": "PT Demo Mitra Digital",
        "business_form": "pt",
        "nib": "9120000000001",
        "npwp": "012345678901000",
        "address": "Jl. Jend. Sudirman Kav. 52-53",
        "city": "Jakarta Selatan",
        "province": "DKI Jakarta",
        "postal_code": "12190",
        "phone": "+622155500001",
        "website": "https://demo-mitra.test",
        "full_name": "Dewi Lestari",
        "position": "Direktur",
        "nik": "3174015505900001",
        "tech_name": "Rudi Hartono",
        "tech_email": "tech@demo-mitra.test",
        "tech_phone": "+6281200000011",
    },
}
PENDING = {
    "code": "MTRDEMO2",
    "kind": Partner.Kind.PRIBADI,
    "name": "Budi Santoso",
    "owner": ("demo.pribadi", "Budi Santoso", "budi@mitra.test", "+6281200000002"),
    "data": {
        "full_name": "Budi Santoso",
        "nik": "3273011208850002",
        "npwp": "3273011208850002",
        "birth_place": "Bandung",
        "birth_date": datetime.date(1985, 8, 12),
        "address": "Jl. Braga No. 12",
        "city": "Bandung",
        "province": "Jawa Barat",
        "postal_code": "40111",
        "phone": "+6281200000002",
    },
}


def _scan() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (230, 236, 245)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name="document.png")


def _partner_with_profile(spec: dict) -> tuple[Partner, User, bool]:
    partner, created = Partner.objects.get_or_create(
        code=spec["code"],
        defaults={"kind": spec["kind"], "name": spec["name"]},
    )
    username, name, email, phone = spec["owner"]
    owner = partner.owner
    if owner is None:
        owner = User(
            username=username,
            partner=partner,
            name=name,
            email=email,
            phone=phone,
            is_owner=True,
            email_verified_at=timezone.now(),
        )
        owner.set_password(OWNER_PASSWORD)
        owner.save()
    if created:
        services.profile_save(
            partner=partner,
            actor=owner,
            data=spec["data"],
            documents={kind: _scan() for kind in document_kinds(spec["kind"])},
            submit=True,
        )
    return partner, owner, created


def seed(stdout) -> None:
    reviewer = User.objects.get(username=REVIEWER_USERNAME)

    partner, owner, created = _partner_with_profile(ACTIVE)
    if created:
        submission = partner.profile.submissions.get()
        review_decide(subject=submission, approve=True, actor=reviewer)
        # Known passwords, so that the Open API can be tried with curl right away.
        for credential in Credential.objects.filter(partner=partner):
            services.credential_rotate(
                partner=partner,
                credential_id=credential.pk,
                actor=reviewer,
                password=PASSWORDS[credential.environment],
            )
        services.webreport_rotate(
            partner=partner, actor=reviewer, password=PASSWORDS["webreport"]
        )
    _partner_with_profile(PENDING)

    login_line(
        stdout,
        f"Mitra aktif: {settings.SITE_URL}/akun/login/ username=demo "
        f"password={OWNER_PASSWORD}",
    )
    for credential in Credential.objects.filter(partner=partner).order_by(
        "-environment"
    ):
        login_line(
            stdout,
            f"  {credential.title}: username={credential.username} "
            f"password={PASSWORDS[credential.environment]} "
            f"merchantID={credential.merchant_id} accountID={credential.account_id}",
        )
    report = partner.profile.webreport_user
    if report is not None:
        login_line(
            stdout,
            f"  Webreport (Production): username={report.username} "
            f"password={PASSWORDS['webreport']}",
        )
    login_line(
        stdout,
        f"Mitra menunggu verifikasi: username=demo.pribadi password={OWNER_PASSWORD} "
        f"(setujui di {settings.SITE_URL}/{settings.ADMIN_URL}profiles/profilesubmission/)",
    )
