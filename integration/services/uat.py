"""Filing a UAT request, or correcting and resending a rejected one."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Partner
from integration import evidence as evidence_rules
from integration import selectors
from integration.models import UatEvidence, UatRequest
from integration.services.calls import (
    calls_store,
    calls_to_attach,
    calls_to_detach,
)
from integration.services.common import (
    CALLS_FIELD,
    MAX_CALLS,
    Evidence,
    IntegrationError,
    Kind,
    State,
    locked_state,
    product_move,
    request_file,
    require_active,
)
from products.models import Product


def uat_request_submit(
    *,
    partner: Partner,
    product: Product,
    evidence: dict[str, Evidence],
    api_calls: Sequence[int] = (),
    detach_calls: Sequence[int] = (),
    actor,
    ip: str | None = None,
) -> UatRequest:
    """File the UAT of ``product`` (or correct and resend a rejected one).

    Only for a product the partner chose and whose UAT is neither pending nor approved.
    ``api_calls`` are API log ids of the partner's own Development calls of the product to
    attach (copied as logged); ``detach_calls`` are attached calls (``UatEvidenceCall`` ids)
    of the request being corrected to take off. The evidence must be complete
    (``integration.evidence``) with what is given, kept and attached. Evidence, attached
    calls, request and product state are saved together or not at all.
    """
    require_active(partner)
    with transaction.atomic():
        state = locked_state(partner, product)
        if state is None:
            raise IntegrationError(
                _("Produk %(product)s belum Anda pilih di menu Produk.")
                % {"product": product}
            )
        if state not in selectors.UAT_OPEN_STATES:
            raise IntegrationError(
                _(
                    "Request UAT produk %(product)s tidak dapat diajukan: status %(state)s."
                )
                % {"product": product, "state": State(state).label}
            )
        uat = (
            UatRequest.objects.select_for_update()
            .filter(partner=partner, product=product)
            .first()
        )
        kept = set(uat.evidence.values_list("kind", flat=True)) if uat else set()
        given = {
            kind: item for kind, item in evidence.items() if item.file or item.text
        }
        attached = list(uat.api_calls.all()) if uat else []
        detached = calls_to_detach(attached, detach_calls)
        remaining = [call for call in attached if call.pk not in detached]
        new_logs = calls_to_attach(
            partner=partner,
            product=product,
            ids=api_calls,
            already={call.api_log_id for call in remaining},
        )
        if len(remaining) + len(new_logs) > MAX_CALLS:
            message = _(
                "Maksimal %(max)d panggilan API per Request UAT; pilih yang paling "
                "mewakili."
            ) % {"max": MAX_CALLS}
            raise IntegrationError(message, errors={CALLS_FIELD: message})
        _require_complete(
            product,
            kinds=given.keys() | kept,
            calls=[(c.path, c.rc) for c in remaining]
            + [(log.path, log.rc) for log in new_logs],
        )
        uat = request_file(
            model=UatRequest,
            existing=uat,
            partner=partner,
            product=product,
            actor=actor,
            ip=ip,
        )
        for kind, item in given.items():
            _evidence_store(uat=uat, kind=kind, item=item)
        if detached or new_logs:
            calls_store(
                uat=uat,
                before=attached,
                detached=detached,
                new_logs=new_logs,
                actor=actor,
                ip=ip,
            )
        product_move(
            partner=partner,
            product=product,
            state=State.UAT_PENDING,
            actor=actor,
            ip=ip,
        )
    return uat


def _require_complete(product: Product, *, kinds, calls) -> None:
    gaps = evidence_rules.evidence_gaps(product, kinds=kinds, calls=calls)
    if not gaps:
        return
    message = _("Lengkapi dokumen UAT: %(list)s.") % {
        "list": ", ".join(str(Kind(kind).label) for kind in gaps.kinds)
    }
    errors = {kind: _("Wajib diisi untuk produk ini.") for kind in gaps.kinds}
    if gaps.steps:
        hint = _("Bukti %(steps)s dapat juga berupa %(calls)s yang dilampirkan.") % {
            "steps": " / ".join(str(step.label) for step in gaps.steps),
            "calls": f" {_('dan')} ".join(str(step.call_hint) for step in gaps.steps),
        }
        message = f"{message} {hint}"
        errors[CALLS_FIELD] = hint
    raise IntegrationError(message, errors=errors)


def _evidence_store(*, uat: UatRequest, kind: str, item: Evidence) -> None:
    row = UatEvidence.objects.filter(uat_request=uat, kind=kind).first()
    if row is None:
        row = UatEvidence(uat_request=uat, kind=kind)
    old_name = row.file.name if row.file else ""
    row.text = item.text if item.file is None else ""
    if item.file is not None:
        # The name only lends its extension: private_upload_to makes the stored name.
        row.file.save(item.file.name or "", item.file, save=False)
    else:
        row.file = ""
    row.save()
    if old_name:
        storage = row.file.storage
        # Only once the new evidence is committed; a rollback keeps the old file.
        transaction.on_commit(lambda: storage.delete(old_name))
