"""X-Request-ID: taken from the client when sane, made otherwise, returned in the response,
and carried by the access line and by the tasks queued while answering."""

import io
import json
import logging
import re

import pytest
from celery import signals

from portal.logging import (
    JsonFormatter,
    RedactFilter,
    RequestIdFilter,
    request_id_var,
)


@pytest.fixture
def access_lines():
    """The JSON lines portal.access writes, through the filters and formatter of LOGGING."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("portal.access")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_sane_request_id_is_kept_and_returned(client, db, access_lines):
    response = client.get("/akun/login/", headers={"X-Request-ID": "lb-7f3a.2_x"})
    assert response["X-Request-ID"] == "lb-7f3a.2_x"
    assert access_lines()[-1]["request_id"] == "lb-7f3a.2_x"


@pytest.mark.parametrize(
    "given", ["", "has space", "a" * 65, "semi;colon", "new\nline", "ünïcode"]
)
def test_an_insane_request_id_is_replaced_by_a_new_one(client, db, given):
    response = client.get("/akun/login/", headers={"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id(client, db, access_lines):
    first = client.get("/akun/login/")["X-Request-ID"]
    second = client.get("/akun/login/")["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in access_lines()] == [first, second]
    assert request_id_var.get() is None  # nothing leaks past the request


def test_the_request_id_travels_to_a_queued_task_and_back_out():
    headers = {}
    token = request_id_var.set("req-42")
    try:
        signals.before_task_publish.send(sender="billing.tasks.x", headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers["request_id"] == "req-42"

    class Task:
        class request:  # noqa: N801 - the shape of celery's task.request
            is_eager = False

    Task.request.headers = headers
    signals.task_prerun.send(sender=Task, task_id="t-1", task=Task)
    assert request_id_var.get() == "req-42"
    signals.task_postrun.send(sender=Task, task_id="t-1", task=Task)
    assert request_id_var.get() is None


def test_a_task_queued_outside_a_request_logs_under_its_task_id():
    class Task:
        class request:  # noqa: N801
            is_eager = False
            headers = None

    signals.task_prerun.send(sender=Task, task_id="5b0c-task", task=Task)
    assert request_id_var.get() == "5b0c-task"
    signals.task_postrun.send(sender=Task, task_id="5b0c-task", task=Task)
    assert request_id_var.get() is None
