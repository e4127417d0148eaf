"""What the profiles services share: their error, the partner's fields and status with
their audit events, and the emails to the partner's owner."""

from __future__ import annotations

import datetime

from accounts.models import Partner
from portal.lib.audit import audit_record
from portal.lib.email import email_queue
from profiles.models import Profile


class ProfileError(Exception):
    """A refusal to show the partner or the staff member."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def values_jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def profile_values(profile: Profile, names) -> dict:
    return {name: getattr(profile, name) for name in names}


def values_diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return (
        {k: values_jsonable(before.get(k)) for k in keys},
        {k: values_jsonable(after[k]) for k in keys},
    )


def partner_field_set(
    *, partner: Partner, field: str, value, action: str, actor, ip=None
) -> None:
    """Change one field of the Partner row, with its audit event (nothing if unchanged)."""
    before = getattr(partner, field)
    if before == value:
        return
    setattr(partner, field, value)
    partner.save(update_fields=[field])
    audit_record(
        action=action,
        actor=actor,
        partner=partner,
        subject=partner,
        before={field: before},
        after={field: value},
        ip=ip,
    )


def partner_status_set(*, partner: Partner, status: str, actor, ip=None) -> None:
    """Change Partner.status (the dashboard's Status Akun) with its audit event."""
    partner_field_set(
        partner=partner,
        field="status",
        value=status,
        action="partner.status_changed",
        actor=actor,
        ip=ip,
    )


def owner_email(
    partner: Partner, template: str, context: dict, *, sensitive: bool = False
) -> None:
    owner = partner.owner
    if owner is None:
        return
    email_queue(
        to=owner.email,
        template=template,
        context={"user": owner, "partner": partner, **context},
        user=owner,
        sensitive=sensitive,
    )
