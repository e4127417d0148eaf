"""One JSON object per line, and one access line per request."""

import io
import json
import logging

import pytest
from django.urls import reverse

from portal.logging import JsonFormatter, RedactFilter, RequestIdFilter, request_id_var


@pytest.fixture
def lines():
    """Whatever reaches the root logger, as LOGGING's console handler would write it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter())
    # The root logger and "django" (which LOGGING stops from propagating).
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    access = logging.getLogger("portal.access")
    level = access.level
    access.setLevel(logging.INFO)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)
    access.setLevel(level)


def _parsed(stream):
    text = stream.getvalue()
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_the_access_line_has_the_fields_of_the_request(owner_client, owner, lines):
    response = owner_client.get(reverse("portal:dashboard") + "?q=rahasia")
    (line,) = [e for e in _parsed(lines) if e["logger"] == "portal.access"]
    assert set(line) >= {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "user_id",
        "client_ip",
    }
    assert line["level"] == "INFO"
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/dashboard/", 200)
    assert "rahasia" not in json.dumps(line)  # no query string
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == owner.pk
    assert line["partner_id"] == owner.partner_id
    assert line["client_ip"] == "127.0.0.1"
    assert line["time"].endswith("+00:00")


def test_an_anonymous_request_logs_no_user(client, db, lines):
    client.get("/akun/login/")
    (line,) = [e for e in _parsed(lines) if e["logger"] == "portal.access"]
    assert line["user_id"] is None and line["status"] == 200


def test_the_token_of_a_link_is_masked_in_the_logged_path(client, db, lines):
    client.get("/akun/aktivasi/ZXlKMWMuLnNlY3JldA-9f8e7d/")
    (line,) = [e for e in _parsed(lines) if e["logger"] == "portal.access"]
    assert line["path"] == "/akun/aktivasi/***/"
    assert "9f8e7d" not in lines.getvalue()


def test_health_probes_stay_out_of_the_info_log(client, db, lines):
    client.get("/healthz")
    client.get("/akun/login/")
    access = [e for e in _parsed(lines) if e["logger"] == "portal.access"]
    assert [e["path"] for e in access] == ["/akun/login/"]


def test_django_own_not_found_line_carries_the_request_id(client, db, lines):
    response = client.get("/tidak-ada/")
    not_found = [e for e in _parsed(lines) if e["logger"] == "django.request"]
    assert not_found[0]["message"] == "Not Found: /tidak-ada/"
    assert not_found[0]["request_id"] == response["X-Request-ID"]
    assert request_id_var.get() is None


def test_an_error_with_its_traceback_is_still_one_line(lines):
    token = request_id_var.set("req-err")
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("portal.tests").exception("could not %s", "pay")
    finally:
        request_id_var.reset(token)
    (entry,) = _parsed(lines)
    assert entry["message"] == "could not pay"
    assert entry["level"] == "ERROR"
    assert entry["request_id"] == "req-err"
    assert "ValueError: boom" in entry["exc"]


def test_a_line_outside_any_request_has_a_null_request_id(lines):
    logging.getLogger("portal.tests").warning("beat tick")
    (entry,) = _parsed(lines)
    assert entry["request_id"] is None


def test_the_configured_console_handler_writes_these_lines(settings):
    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["request_id", "redact"]
    assert settings.LOGGING["formatters"]["json"] == {
        "()": "portal.logging.JsonFormatter"
    }
    handler = next(
        h for h in logging.getLogger().handlers if getattr(h, "name", "") == "console"
    )
    assert {type(f) for f in handler.filters} == {RequestIdFilter, RedactFilter}
