"""Files kept from refused submissions are swept by the hourly beat task once too old."""

import os
import time

from django.conf import settings
from django.core.files.base import ContentFile

from portal.celery import app
from portal.lib import kept_uploads
from portal.tasks import kept_uploads_sweep


def _kept(partner_id: int) -> str:
    stored = kept_uploads.kept_upload_store(
        partner_id=partner_id,
        purpose="profile",
        field="doc_ktp",
        content=ContentFile(b"%PDF-1.4\n%%EOF\n", name="document.pdf"),
        original_name="ktp.pdf",
    )
    return kept_uploads.private_storage.path(stored.storage_name)


def test_the_hourly_task_deletes_only_files_older_than_the_keep_time():
    old, fresh = _kept(1), _kept(2)
    too_old = time.time() - kept_uploads.KEEP_SECONDS - 60
    os.utime(old, (too_old, too_old))

    assert kept_uploads_sweep() == 1

    assert not os.path.exists(old)
    assert os.path.exists(fresh)


def test_the_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["portal-kept-uploads-sweep"]

    assert entry["task"] in app.tasks
    assert entry["schedule"].total_seconds() <= kept_uploads.KEEP_SECONDS
