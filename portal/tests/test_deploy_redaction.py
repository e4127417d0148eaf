"""Passwords, tokens, secrets, session ids and Authorization/Cookie headers never reach a log
line, whichever way they were handed to the logger."""

import io
import json
import logging

import pytest
from django.http import QueryDict

from portal.logging import (
    MASK,
    JsonFormatter,
    RedactFilter,
    RequestIdFilter,
    redact_text,
)


@pytest.fixture
def log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("portal.tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def _entry(stream):
    (line,) = stream.getvalue().splitlines()
    return json.loads(line)


def test_dict_arguments_are_masked_by_key(log):
    logger, stream = log
    logger.info(
        "login attempt %s",
        {
            "username": "mitra01",
            "password": "Rahasia#2026",
            "new_password1": "Baru#2026",
            "nested": {"callback_secret": "s3cr3t", "keep": "ya"},
            "HTTP_AUTHORIZATION": 'Digest username="a", response="ff00"',
            "HTTP_COOKIE": "sessionid=abc123; csrftoken=def456",
        },
    )
    text = stream.getvalue()
    for secret in ("Rahasia#2026", "Baru#2026", "s3cr3t", "ff00", "abc123", "def456"):
        assert secret not in text
    message = _entry(stream)["message"]
    assert "mitra01" in message and "'keep': 'ya'" in message
    assert f"'password': '{MASK}'" in message


def test_a_mapping_as_the_format_arguments_is_masked(log):
    logger, stream = log
    logger.info("user %(user)s token %(token)s", {"user": "budi", "token": "tok-999"})
    assert _entry(stream)["message"] == f"user budi token {MASK}"


def test_key_value_text_is_masked(log):
    logger, stream = log
    logger.warning(
        "sign-on failed password=hunter2 token: 'abc.def' api_key=K1 sessionid=S1 kode=77"
    )
    message = _entry(stream)["message"]
    for secret in ("hunter2", "abc.def", "K1", "S1"):
        assert secret not in message
    assert "kode=77" in message
    assert f"password={MASK}" in message


def test_authorization_and_cookie_headers_are_masked_to_the_end_of_line(log):
    logger, stream = log
    logger.info(
        'headers Authorization: Digest username="mitra", nonce="n1", response="r1"\n'
        "Cookie: sessionid=xyz; csrftoken=qrs\nAccept: */*"
    )
    message = _entry(stream)["message"]
    for secret in ('username="mitra"', "r1", "xyz", "qrs"):
        assert secret not in message
    assert "Accept: */*" in message


def test_extra_fields_and_posted_forms_are_masked(log):
    logger, stream = log
    form = QueryDict("phone=%2B628123&password=Rahasia99&password=Rahasia99")
    logger.info("form %s", form, extra={"token": "t-1", "data": {"secret": "x9"}})
    entry = _entry(stream)
    text = stream.getvalue()
    assert "Rahasia99" not in text and "t-1" not in text and "x9" not in text
    assert entry["token"] == MASK
    assert entry["data"] == {"secret": MASK}
    assert "+628123" in entry["message"]


def test_a_traceback_carrying_a_secret_is_masked(log):
    logger, stream = log
    try:
        raise RuntimeError("smtp login failed password=Sm7p!")
    except RuntimeError:
        logger.exception("email failed")
    assert "Sm7p!" not in stream.getvalue()


def test_masking_twice_changes_nothing():
    once = redact_text("password='abc' token=def")
    assert redact_text(once) == once == f"password='{MASK}' token={MASK}"
