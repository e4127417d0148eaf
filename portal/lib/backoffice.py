"""Reads of the back-office: the "Menunggu keputusan" queue on the admin home and the review
history (Riwayat) of one subject."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portal.lib.review import ReviewStatus
from portal.models import AuditEvent

# The manual promises a decision within 1x24 jam (Gambar 10); older items are highlighted.
REVIEW_PROMISE = timedelta(hours=24)


@dataclass(frozen=True)
class QueueSubject:
    """One kind of thing staff decide. ``waiting`` selects the rows that wait for a decision,
    ``since`` is the field their waiting time counts from, and ``query`` is the changelist
    filter that lists the same rows (empty where the changelist lists only those)."""

    model: str
    label: str
    waiting: Q = field(default_factory=lambda: Q(review_status=ReviewStatus.PENDING))
    since: str = "submitted_at"
    query: dict = field(
        default_factory=lambda: {"review_status__exact": ReviewStatus.PENDING}
    )


# The queue, in the order of the partner's journey, then the suspect transactions: pending
# past the staff deadline (``escalated_at``), settled by hand on their own admin page (the
# Open API's proxy of billing.Transaction, whose changelist lists exactly these).
QUEUE_SUBJECTS: tuple[QueueSubject, ...] = (
    QueueSubject("profiles.ProfileSubmission", _("Profil mitra")),
    # A partner may delete an entry while it waits; it can no longer be decided.
    QueueSubject(
        "connections.Connection",
        _("IP Address (whitelist)"),
        waiting=Q(review_status=ReviewStatus.PENDING, deleted_at__isnull=True),
        query={"review_status__exact": ReviewStatus.PENDING, "deleted": "no"},
    ),
    QueueSubject("integration.UatRequest", _("Request UAT")),
    QueueSubject("integration.LiveRequest", _("Request Live")),
    QueueSubject("billing.TopUp", _("Top up deposit")),
    QueueSubject("billing.DepositAdjustment", _("Penyesuaian deposit")),
    QueueSubject(
        "openapi.SuspectTransaction",
        _("Transaksi suspect (pending)"),
        waiting=Q(status="pending", escalated_at__isnull=False),
        since="escalated_at",
        query={},
    ),
)


@dataclass(frozen=True)
class QueueRow:
    label: str
    count: int
    overdue: int
    oldest: datetime | None
    url: str

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0


@dataclass(frozen=True)
class ReviewQueue:
    rows: list[QueueRow]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def review_queue(*, user, now: datetime | None = None) -> ReviewQueue:
    """What waits for a decision, per subject the user may see: how many, how many are past
    the 1x24 jam promise, and since when the oldest waits. One aggregate query per subject."""
    now = now or timezone.now()
    late = now - REVIEW_PROMISE
    rows = []
    for subject in QUEUE_SUBJECTS:
        model = apps.get_model(subject.model)
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        figures = model._default_manager.filter(subject.waiting).aggregate(
            count=Count("pk"),
            overdue=Count("pk", filter=Q(**{f"{subject.since}__lte": late})),
            oldest=Min(subject.since),
        )
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        rows.append(
            QueueRow(
                label=subject.label,
                count=figures["count"],
                overdue=figures["overdue"],
                oldest=figures["oldest"],
                url=f"{changelist}?{urlencode(subject.query)}"
                if subject.query
                else changelist,
            )
        )
    return ReviewQueue(rows=rows)


# Audit actions that belong in a subject's history, by their last part.
_HISTORY_STEPS = {
    "created": _("Diajukan"),
    "requested": _("Diajukan"),
    "submitted": _("Diajukan"),
    "approved": _("Disetujui"),
    "rejected": _("Ditolak"),
    "expired": _("Kedaluwarsa"),
}


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    step: str
    is_decision: bool
    actor: object
    reason: str


def review_history(subject) -> list[HistoryRow]:
    """Every review step of ``subject``, oldest first: who decided what, when, and why.

    Read from the audit trail (one query, on the partner's index), so decisions stay listed
    after the subject was resubmitted and decided again."""
    partner = subject.review_partner()
    events = (
        AuditEvent.objects.filter(
            partner=partner,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    rows = []
    for event in events:
        step = event.action.rsplit(".", 1)[-1]
        if step not in _HISTORY_STEPS:
            continue
        after = event.after or {}
        reason = after.get("review_reason") or ""
        if step == "expired":
            reason = subject.review_reason
        rows.append(
            HistoryRow(
                at=event.created_at,
                step=str(_HISTORY_STEPS[step]),
                is_decision=step in ("approved", "rejected", "expired"),
                actor=event.actor,
                reason=reason,
            )
        )
    return rows
