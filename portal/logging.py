"""Logging for a real deployment: one line per event, each carrying the id of the request
(or Celery task) it belongs to, with secrets masked before anything is written.

``settings.LOGGING`` wires these into the console handler; ``celery_logging_connect`` makes the
Celery worker and beat use the same configuration, and carries the request id of the web
request that queued a task into the worker's log lines.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

MASK = "***"

# The id of the request (or task) being handled; None outside of both.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# An id we accept from a client or a proxy; anything else is replaced by one of ours.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# A key whose value is a secret wherever it appears: dict keys, ``key=value`` text, headers
# (``HTTP_AUTHORIZATION``), form fields (``new_password1``), cookies (``sessionid``).
SENSITIVE_WORDS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "cookie",
    "sessionid",
    "session_id",
    "ha1",
    "api_key",
    "apikey",
)
_KEY = r"[A-Za-z0-9_.-]*(?:" + "|".join(SENSITIVE_WORDS) + r")[A-Za-z0-9_.-]*"
_QUOTED = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\[[^\]]*\]"
# ``password=x``, ``token: x``, ``'password': 'x'``, ``"secret": "x"``, ``password=['x']``.
_PAIR_RE = re.compile(
    r"(?i)(?P<key>[\"']?" + _KEY + r"[\"']?)(?P<sep>\s*[=:]\s*)"
    r"(?P<value>" + _QUOTED + r"|[^\s,;&'\"}\])]+)"
)
# Header-like values run to the end of the line: ``Authorization: Digest username="a", …``.
_HEADER_RE = re.compile(
    r"(?i)(?P<key>\b(?:authorization|cookie)[\"']?)(?P<sep>\s*[=:]\s*)"
    r"(?P<value>" + _QUOTED + r"|[^\r\n]+)"
)

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """The given id if it is a short plain token (safe to log and echo back), else None."""
    if value and REQUEST_ID_RE.match(value):
        return value
    return None


def is_sensitive(key: Any) -> bool:
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return any(word in lowered for word in SENSITIVE_WORDS)


def redact_text(text: str) -> str:
    """Mask the value of every sensitive ``key=value`` / ``key: value`` pair in a text."""
    text = _HEADER_RE.sub(_masked_pair, text)
    return _PAIR_RE.sub(_masked_pair, text)


def _masked_pair(match: re.Match) -> str:
    value = match.group("value")
    if value == MASK or value.strip("'\"") == MASK:
        return match.group(0)
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match.group('key')}{match.group('sep')}{quote}{MASK}{quote}"


def redact(value: Any) -> Any:
    """A copy of ``value`` where every sensitive key of every mapping is masked, and every
    string has its ``key=value`` secrets masked."""
    if isinstance(value, Mapping):
        items = value.lists() if hasattr(value, "lists") else value.items()
        return {k: MASK if is_sensitive(k) else redact(v) for k, v in items}
    if isinstance(value, list | tuple | set):
        return type(value)(redact(v) for v in value)
    if isinstance(value, str):
        return redact_text(value)
    return value


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (None outside a request or task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class RedactFilter(logging.Filter):
    """Masks passwords, tokens, secrets, session ids and Authorization/Cookie headers in the
    message, its arguments and any ``extra=`` field, before a handler writes the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            record.args = redact(record.args)
        elif isinstance(record.args, tuple):
            record.args = tuple(
                redact(a) if isinstance(a, Mapping | list | tuple) else a
                for a in record.args
            )
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        # Freeze the (masked) message so no formatter sees the raw arguments again.
        record.msg, record.args = redact_text(message), ()
        for key, value in list(vars(record).items()):
            if key in _RECORD_ATTRS:
                continue
            setattr(record, key, MASK if is_sensitive(key) else redact(value))
        return True


def _jsonable(value: Any) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _jsonable(v) for k, v in value.items())
    return False


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, then the plain
    ``extra=`` fields of the record (method, path, status, duration_ms … for the access
    line) and, for an error, the traceback as ``exc`` (still on the same line)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            # Objects such as the ``request`` Django attaches are left out, not str()-ed:
            # their repr can carry a query string.
            if key not in _RECORD_ATTRS and key not in entry and _jsonable(value):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = redact_text(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc"] = redact_text(record.exc_text)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# --- Celery -------------------------------------------------------------------------------

TASK_HEADER = "request_id"


def _configure_from_settings(**kwargs) -> None:
    """The worker and beat log through ``settings.LOGGING`` instead of Celery's own setup."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def _publish_request_id(headers=None, **kwargs) -> None:
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


_task_tokens: dict[str, Any] = {}


def _task_started(task_id=None, task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    given = getattr(request, TASK_HEADER, None) or (
        (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    )
    if getattr(request, "is_eager", False) and request_id_var.get():
        return  # run inside the web request: its id already applies
    _task_tokens[task_id] = request_id_var.set(sane_request_id(given) or task_id)


def _task_finished(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)


def celery_logging_connect() -> None:
    """Connect the Celery signals: logging set up from Django settings, and the request id
    travelling from the web request into the task's log lines (a task queued outside any
    request logs under its own task id)."""
    from celery import signals

    signals.setup_logging.connect(_configure_from_settings, weak=False)
    signals.before_task_publish.connect(_publish_request_id, weak=False)
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
