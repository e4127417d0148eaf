"""Failure counts of identifiers that name no account are deleted once they count no more."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import LoginLock
from accounts.services import AccountError, login_locks_prune, login_verify
from accounts.tasks import login_locks_sweep
from accounts.tests.factories import UserFactory
from portal.celery import app

pytestmark = pytest.mark.django_db

LOCK = timedelta(seconds=settings.LOGIN_LOCK_SECONDS)


def _lock(key, *, failed_ago, locked_for=None):
    now = timezone.now()
    return LoginLock.objects.create(
        key=key,
        failures=2,
        last_failure_at=now - failed_ago,
        locked_until=now + locked_for if locked_for is not None else None,
    )


def test_only_unknown_identifiers_that_count_no_more_are_deleted():
    stale = _lock("id:tidak-ada", failed_ago=LOCK + timedelta(minutes=1))
    lock_over = _lock(
        "id:sudah-lewat", failed_ago=LOCK + timedelta(minutes=1), locked_for=-LOCK
    )
    recent = _lock("id:baru-saja", failed_ago=timedelta(minutes=1))
    locked = _lock(
        "id:terkunci", failed_ago=LOCK + timedelta(minutes=1), locked_for=LOCK
    )
    member = UserFactory()
    account = _lock(f"user:{member.pk}", failed_ago=LOCK + timedelta(minutes=1))

    assert login_locks_prune() == 2

    left = set(LoginLock.objects.values_list("pk", flat=True))
    assert left == {recent.pk, locked.pk, account.pk}
    assert stale.pk not in left and lock_over.pk not in left


def test_a_recent_failure_of_an_unknown_identifier_still_counts_after_the_sweep():
    for _attempt in range(2):
        with pytest.raises(AccountError):
            login_verify(identifier="siapa-saja", password="salah")

    login_locks_prune()

    assert LoginLock.objects.get(key="id:siapa-saja").failures == 2


def test_the_sweep_runs_hourly_on_the_beat_schedule():
    _lock("id:tidak-ada", failed_ago=LOCK + timedelta(minutes=1))
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-login-locks-sweep"]

    assert entry["task"] in app.tasks
    assert entry["schedule"] == timedelta(hours=1)
    assert login_locks_sweep() == 1
    assert not LoginLock.objects.exists()
