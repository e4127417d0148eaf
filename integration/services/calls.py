"""Attaching the partner's own Development calls (from the API log) to a UAT request."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from accounts.models import Partner
from integration import evidence as evidence_rules
from integration import selectors
from integration.models import UatEvidenceCall, UatRequest
from integration.services.common import CALLS_FIELD, IntegrationError
from openapi.models import ApiLog
from portal.lib.audit import audit_record
from portal.lib.environments import Environment
from products.models import Product


def calls_to_detach(attached: list[UatEvidenceCall], ids: Sequence[int]) -> set[int]:
    known = {call.pk for call in attached}
    unknown = [str(pk) for pk in ids if pk not in known]
    if unknown:
        message = _(
            "Lampiran panggilan API %(ids)s tidak ada pada Request UAT ini."
        ) % {"ids": ", ".join(f"#{pk}" for pk in unknown)}
        raise IntegrationError(message, errors={CALLS_FIELD: message})
    return set(ids)


def calls_to_attach(
    *, partner: Partner, product: Product, ids: Sequence[int], already: set
) -> list[ApiLog]:
    """The partner's API log rows ``ids`` (in that order, without those ``already``
    attached), each checked to be its own Development call of ``product``'s transaction
    services; any other id refuses the whole submission with the reason."""
    wanted = [pk for pk in dict.fromkeys(ids) if pk not in already]
    found = selectors.partner_calls(partner=partner, ids=wanted)
    logs, refusals = [], []
    for pk in wanted:
        log = found.get(pk)
        if log is None:
            # Another partner's id reads exactly like one that does not exist.
            refusals.append(_("#%(id)s tidak ditemukan di Log API Anda") % {"id": pk})
        elif log.environment != Environment.DEVELOPMENT:
            refusals.append(
                _(
                    "#%(id)s adalah panggilan %(env)s; hanya panggilan Development yang "
                    "dapat dilampirkan"
                )
                % {"id": pk, "env": log.get_environment_display() or "-"}
            )
        elif log.product_code != product.code:
            refusals.append(
                _("#%(id)s untuk produk %(code)s, bukan %(product)s")
                % {"id": pk, "code": log.product_code or "-", "product": product.code}
            )
        elif log.path not in evidence_rules.ATTACHABLE_PATHS:
            refusals.append(
                _(
                    "#%(id)s adalah %(path)s; hanya Inquiry, Payment, SinglePayment dan "
                    "Check-Status yang dapat dilampirkan"
                )
                % {"id": pk, "path": log.path}
            )
        else:
            logs.append(log)
    if refusals:
        message = _("Panggilan API tidak dapat dilampirkan: %(list)s.") % {
            "list": "; ".join(refusals)
        }
        raise IntegrationError(message, errors={CALLS_FIELD: message})
    return logs


def calls_store(
    *,
    uat: UatRequest,
    before: list[UatEvidenceCall],
    detached: set[int],
    new_logs: list[ApiLog],
    actor,
    ip,
) -> None:
    if detached:
        UatEvidenceCall.objects.filter(uat_request=uat, pk__in=detached).delete()
    UatEvidenceCall.objects.bulk_create([_frozen_call(uat, log) for log in new_logs])
    audit_record(
        action="uat.api_calls_changed",
        actor=actor,
        partner=uat.partner,
        subject=uat,
        before={"api_logs": [call.api_log_id for call in before]},
        after={
            "api_logs": [call.api_log_id for call in before if call.pk not in detached]
            + [log.pk for log in new_logs]
        },
        ip=ip,
    )


def _frozen_call(uat: UatRequest, log: ApiLog) -> UatEvidenceCall:
    """The call as the server logged it, copied: the log may be pruned later."""
    return UatEvidenceCall(
        uat_request=uat,
        api_log=log,
        called_at=log.created_at,
        environment=log.environment,
        method=log.method,
        path=log.path,
        ip=log.ip,
        http_status=log.http_status,
        rc=log.rc,
        reference_id=log.reference_id,
        product_code=log.product_code,
        request=log.request,
        response=log.response,
        duration_ms=log.duration_ms,
    )
