"""The audit trail: ``audit_record`` is called inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from portal.models import AuditEvent

# Never copied into the trail, whatever model they sit on.
SECRET_FIELDS = {"password", "ha1", "secret", "callback_secret", "token"}


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a row, without secrets, for ``before`` / ``after``."""
    data = model_to_dict(instance, fields=fields)
    clean = {}
    for key, value in data.items():
        if key in SECRET_FIELDS:
            continue
        if hasattr(value, "name") and hasattr(value, "storage"):  # a file field
            value = value.name or ""
        clean[key] = value
    return _jsonable(clean)


def _jsonable(value):
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def audit_record(
    *,
    action: str,
    actor=None,
    partner=None,
    subject: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Write one audit event. ``action`` is a dotted name such as ``profile.approved``."""
    if partner is None and subject is not None:
        partner = getattr(subject, "partner", None)
    return AuditEvent.objects.create(
        partner=partner,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        subject_repr=str(subject)[:255] if subject is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=ip,
    )
