"""Sign-On: a daily session per credential, at most 99 sign-ons a day."""

from __future__ import annotations

import secrets
from datetime import datetime, time

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from openapi.fields import BadRequest, reply
from openapi.models import SignOnCounter, SignOnSession
from openapi.services.common import Caller
from portal.lib.audit import audit_record

SIGNON_DAILY_LIMIT = SignOnCounter.DAILY_LIMIT
# Body field → Credential attribute; every one must match the caller's credential.
SIGNON_FIELDS = (
    ("mitra", "mitra"),
    ("accountID", "account_id"),
    ("merchantID", "merchant_id"),
    ("merchantName", "merchant_name"),
    ("counterID", "counter_id"),
)
LIMIT_DESCRIPTION = (
    f"Batas {SIGNON_DAILY_LIMIT} Sign On per hari tercapai; semua request kredensial ini "
    "ditolak (rc 34) sampai hitungan direset oleh tim kami. Simpan SessionID dan gunakan "
    "ulang sepanjang hari, jangan Sign On di setiap request."
)


def end_of_wib_day(now: datetime) -> datetime:
    """23:59:59 of the WIB (Asia/Jakarta) day of ``now``."""
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time(23, 59, 59)))


def sign_on(caller: Caller, body: dict) -> dict:
    """Check the body against the credential, count the sign-on and open a session valid
    until 23:59:59 WIB; the 100th sign-on of a day answers rc 34 (and so does every request
    of the credential for the rest of the day, see the gateway)."""
    credential = caller.credential
    for wire, attribute in SIGNON_FIELDS:
        value = body.get(wire)
        if value is None or value == "":
            raise BadRequest(f"Field {wire} wajib diisi")
        if not isinstance(value, str) or value != getattr(credential, attribute):
            raise BadRequest(f"Field {wire} tidak sesuai dengan kredensial Anda")
    now = timezone.now()
    with transaction.atomic():
        counter, _created = SignOnCounter.objects.select_for_update().get_or_create(
            credential=credential, day=timezone.localdate(now)
        )
        SignOnCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        if counter.count + 1 > SIGNON_DAILY_LIMIT:
            return reply("34", body, description=LIMIT_DESCRIPTION)
        session = SignOnSession.objects.create(
            credential=credential,
            session_id=secrets.token_hex(16),
            expires_at=end_of_wib_day(now),
        )
    return {
        "rc": "00",
        "description": "Sign On berhasil; SessionID berlaku sampai 23:59:59 WIB hari ini",
        "SessionID": session.session_id,
    }


def signon_counter_reset(
    *, counter: SignOnCounter, actor, ip: str | None = None
) -> None:
    """Staff lift the rc 34 block of a credential for the day (the back-office action)."""
    with transaction.atomic():
        locked = (
            SignOnCounter.objects.select_for_update()
            .select_related("credential__partner")
            .get(pk=counter.pk)
        )
        before = {"count": locked.count}
        locked.count = 0
        locked.reset_at = timezone.now()
        locked.save(update_fields=["count", "reset_at"])
        audit_record(
            action="signon.counter_reset",
            actor=actor,
            partner=locked.credential.partner,
            subject=locked,
            before=before,
            after={"count": 0, "username": locked.credential.username},
            ip=ip,
        )
