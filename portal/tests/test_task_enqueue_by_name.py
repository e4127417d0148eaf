"""A services module queues its own app's task by name (its ``tasks`` imports the services)."""

import pytest
from celery.exceptions import NotRegistered

from connections.tasks import callback_sweep
from portal.lib.tasks import task_enqueue

pytestmark = pytest.mark.django_db


def test_a_task_named_runs_like_the_task_itself(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        callback_sweep, "apply_async", lambda *a, **kw: calls.append((a, kw))
    )
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue("connections.tasks.callback_sweep", countdown=5)

    assert calls == [(((), {}), {"countdown": 5})]


def test_an_unknown_name_fails_at_the_call_not_after_the_commit():
    with pytest.raises(NotRegistered):
        task_enqueue("connections.tasks.no_such_task")
