"""Files a failed submission accepted, kept so that the partner picks again only the refused one.

A browser cannot re-send a file input, so after one refused upload every file would have to be
picked again. Instead each accepted file (already checked and cleaned by its field) is written
to the private storage under ``pending/<partner id>/`` and the page carries a signed token per
file: the partner, the form and field it was accepted for, and the stored name. The next
submission of the same form by the same partner takes the file back from the token when its
input is left empty; any other partner's token, a token of another form or field, and a token
older than KEEP_HOURS are ignored. Kept files are deleted once used and swept after KEEP_HOURS.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django import forms
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.lib.uploads import private_storage

KEEP_HOURS = 6
KEEP_SECONDS = KEEP_HOURS * 60 * 60
FOLDER = "pending"
SALT = "portal.kept_upload.v1"
# The partner's own file name is only shown back to it; long names are cut.
MAX_NAME = 100


@dataclass(frozen=True)
class KeptUpload:
    """One kept file, as a form page shows it: ``field`` is the form field it fills."""

    field: str
    token: str
    name: str
    storage_name: str

    @property
    def input_name(self) -> str:
        return kept_input_name(self.field)

    @property
    def drop_name(self) -> str:
        return kept_drop_name(self.field)


def kept_input_name(field: str) -> str:
    return f"kept-{field}"


def kept_drop_name(field: str) -> str:
    """The "Hapus" box: the kept file is not used (an optional one the partner changed their
    mind about, or a log now pasted as text)."""
    return f"kept-{field}-hapus"


def _key(purpose: str, field: str) -> str:
    return f"{purpose}:{field}"


def _folder(partner_id: int) -> str:
    return f"{FOLDER}/{int(partner_id)}/"


def kept_upload_store(
    *, partner_id: int, purpose: str, field: str, content, original_name: str
) -> KeptUpload:
    """Write an accepted file privately for the partner and return its token."""
    ext = Path(content.name or "").suffix.lower().lstrip(".") or "bin"
    content.seek(0)
    storage_name = private_storage.save(
        f"{_folder(partner_id)}{uuid.uuid4().hex}.{ext}", content
    )
    name = Path(original_name or "").name[:MAX_NAME] or content.name
    token = signing.dumps(
        {"p": int(partner_id), "k": _key(purpose, field), "s": storage_name, "o": name},
        salt=SALT,
        compress=True,
    )
    return KeptUpload(field=field, token=token, name=name, storage_name=storage_name)


def kept_upload_open(
    *, token: str, partner_id: int, purpose: str, field: str
) -> tuple[KeptUpload, bytes] | None:
    """The kept file a token names, if it is this partner's, for this form and field, and
    still there; else None (a stranger's or a stale token is simply not a file)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    storage_name = payload.get("s")
    if (
        payload.get("p") != int(partner_id)
        or payload.get("k") != _key(purpose, field)
        or not isinstance(storage_name, str)
        or not storage_name.startswith(_folder(partner_id))
        or ".." in storage_name
        or not private_storage.exists(storage_name)
    ):
        return None
    with private_storage.open(storage_name, "rb") as handle:
        data = handle.read()
    kept = KeptUpload(
        field=field,
        token=token,
        name=str(payload.get("o") or "")[:MAX_NAME],
        storage_name=storage_name,
    )
    return kept, data


def kept_upload_delete(kept: KeptUpload) -> None:
    private_storage.delete(kept.storage_name)


def kept_uploads_sweep(*, now: float | None = None) -> int:
    """Delete kept files older than KEEP_HOURS (their tokens no longer open them anyway)."""
    root = Path(private_storage.path(FOLDER))
    if not root.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - KEEP_SECONDS
    removed = 0
    for path in root.glob("*/*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class KeepsUploadsMixin:
    """For a form with file fields; call ``uploads_keep_for(partner_id=…, purpose=…)`` in its
    ``__init__``. A file input left empty takes back the file kept for it (unless its
    "hapus" box is ticked); when the form comes back with errors, ``kept_uploads`` keeps every
    file that was accepted and names it (field name → KeptUpload) for the template."""

    _keep_partner_id: int | None = None
    _keep_purpose = ""

    def uploads_keep_for(self, *, partner_id: int, purpose: str) -> None:
        self._keep_partner_id = partner_id
        self._keep_purpose = purpose
        self._restored: dict[str, KeptUpload] = {}

    def _file_fields(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField)
        ]

    def full_clean(self):
        if self.is_bound and self._keep_partner_id is not None:
            self._kept_restore()
        super().full_clean()

    def _kept_restore(self) -> None:
        files = self.files.copy()
        for name in self._file_fields():
            token = self.data.get(kept_input_name(name))
            if files.get(name) or not token or self.data.get(kept_drop_name(name)):
                continue
            found = kept_upload_open(
                token=token,
                partner_id=self._keep_partner_id,
                purpose=self._keep_purpose,
                field=name,
            )
            if found is None:
                continue
            kept, data = found
            files[name] = SimpleUploadedFile(kept.name or "dokumen", data)
            self._restored[name] = kept
        self.files = files

    @cached_property
    def kept_uploads(self) -> dict[str, KeptUpload]:
        if self._keep_partner_id is None or not self.is_bound or not self.errors:
            return {}
        kept = {}
        for name in self._file_fields():
            if name in self.errors:
                continue
            if name in self._restored:
                kept[name] = self._restored[name]
                continue
            value, upload = self.cleaned_data.get(name), self.files.get(name)
            if upload and hasattr(value, "read"):
                kept[name] = kept_upload_store(
                    partner_id=self._keep_partner_id,
                    purpose=self._keep_purpose,
                    field=name,
                    content=value,
                    original_name=upload.name,
                )
        return kept

    def kept_uploads_discard(self) -> None:
        """After a successful save: the kept files it used are no longer needed."""
        if self._keep_partner_id is None:
            return
        for kept in self._restored.values():
            kept_upload_delete(kept)
