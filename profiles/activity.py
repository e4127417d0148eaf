"""How audit events read on the partner's Aktivitas page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent
from profiles.fields import field_label
from profiles.models import PERUSAHAAN_FIELDS, PRIBADI_FIELDS

PROFILE_FIELDS = set(PERUSAHAAN_FIELDS) | set(PRIBADI_FIELDS)
KEY_LABELS = {
    "status": _("Status"),
    "review_status": _("Status verifikasi"),
    "review_reason": _("Alasan"),
    "reason": _("Alasan"),
    "documents": _("Dokumen"),
    "changes": _("Perubahan"),
    "name": _("Nama"),
    "rotated_at": _("Waktu penggantian"),
}

ACTION_LABELS = {
    "profile.draft_saved": _("Draft data profil disimpan"),
    "profile.saved": _("Data profil disimpan"),
    "profile.submitted": _("Data profil diajukan untuk verifikasi"),
    "profile.approved": _("Data profil disetujui"),
    "profile.rejected": _("Data profil ditolak"),
    "profile.updated": _("Data kontak diubah"),
    "profile.change_applied": _("Perubahan data legal diterapkan"),
    "profile_change.submitted": _("Perubahan data legal diajukan"),
    "profile_change.updated": _("Perubahan data legal diperbarui"),
    "profile_change.withdrawn": _("Perubahan data legal dibatalkan"),
    "profile_change.approved": _("Perubahan data legal disetujui"),
    "profile_change.rejected": _("Perubahan data legal ditolak"),
    "partner.status_changed": _("Status akun berubah"),
    "partner.renamed": _("Nama mitra berubah"),
    "partner.suspended": _("Akun dinonaktifkan"),
    "partner.reactivated": _("Akun diaktifkan kembali"),
    "credential.issued": _("Kredensial diterbitkan"),
    "credential.rotated": _("Password kredensial diganti"),
}
# Other apps' actions read as "<object> — <verb>".
VERB_LABELS = {
    "submitted": _("diajukan"),
    "approved": _("disetujui"),
    "rejected": _("ditolak"),
    "created": _("dibuat"),
    "updated": _("diubah"),
    "deleted": _("dihapus"),
    "state_changed": _("status berubah"),
    "chosen": _("dipilih"),
    "locked": _("login dikunci sementara"),
}


@dataclass(frozen=True)
class ActivityChange:
    key: str
    before: str
    after: str


def _text(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def activity_title(event: AuditEvent) -> str:
    label = ACTION_LABELS.get(event.action)
    if label is not None:
        return str(label)
    verb = event.action.rsplit(".", 1)[-1]
    return f"{event.subject_repr} — {VERB_LABELS.get(verb, verb.replace('_', ' '))}"


def _key_label(key: str, partner_kind: str) -> str:
    if key in PROFILE_FIELDS:
        return field_label(key, partner_kind)
    return str(KEY_LABELS.get(key, key))


def activity_changes(event: AuditEvent, partner_kind: str) -> list[ActivityChange]:
    """What changed, field by field, labelled as on the Profil page where possible."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return [
        ActivityChange(
            key=_key_label(k, partner_kind),
            before=_text(before.get(k)),
            after=_text(after.get(k)),
        )
        for k in keys
    ]
