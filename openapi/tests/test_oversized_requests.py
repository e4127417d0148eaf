"""An oversized request line or header on an API path gets JSON rc 02 (414 / 431), not an
HTML page; gunicorn is set to let such requests through to Django up to twice the API's
limits, and answers its own HTML only beyond that."""

import http.client
import json
import os
import runpy
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gunicorn.config import Config

from openapi.middleware import MAX_HEADER_FIELD, MAX_HEADER_FIELDS, MAX_REQUEST_LINE
from tests_journey.deployment import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def test_an_oversized_authorization_header_answers_431_json(client):
    response = client.post(
        "/auth/Sign-On",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Digest " + "a" * MAX_HEADER_FIELD,
    )

    assert response.status_code == 431
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["rc"] == "02"
    assert answer["description"].startswith("Header Authorization terlalu besar: ")
    assert answer["description"].endswith(f"(maksimal {MAX_HEADER_FIELD} byte)")


def test_a_header_at_the_limit_is_let_through(client):
    value = "x" * (MAX_HEADER_FIELD - len("X-Catatan: "))

    response = client.get("/auth/Sign-On", HTTP_X_CATATAN=value)

    assert response.status_code == 401  # the Digest challenge: the gateway answered


def test_an_oversized_url_answers_414_json(client):
    response = client.get("/Services/Inquiry?q=" + "1" * MAX_REQUEST_LINE)

    assert response.status_code == 414
    assert response.json() == {
        "rc": "02",
        "description": f"URL terlalu panjang (maksimal {MAX_REQUEST_LINE} byte)",
    }


def test_too_many_headers_answer_431_json(client):
    headers = {f"HTTP_X_H{n}": "1" for n in range(MAX_HEADER_FIELDS + 1)}

    response = client.get("/Services/get-Deposit", **headers)

    assert response.status_code == 431
    assert response.json()["description"].startswith("Terlalu banyak header: ")


@pytest.mark.django_db
def test_portal_pages_are_not_limited_by_the_api(client):
    response = client.get("/akun/login/", HTTP_X_CATATAN="x" * (MAX_HEADER_FIELD + 10))

    assert response.status_code == 200


def test_gunicorn_lets_through_more_than_the_api_allows():
    config = Config()
    for name, value in _conf_values().items():
        config.set(name, value)

    assert config.limit_request_line > MAX_REQUEST_LINE
    assert config.limit_request_field_size > MAX_HEADER_FIELD
    assert config.limit_request_fields > MAX_HEADER_FIELDS


def _conf_values() -> dict:
    namespace = runpy.run_path(str(GUNICORN_CONF))
    return {
        name: namespace[name]
        for name in (
            "limit_request_line",
            "limit_request_field_size",
            "limit_request_fields",
        )
    }


# --- against a real gunicorn ----------------------------------------------------------------


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn with the deployment's config, one worker, DEBUG off, on a free port. The
    requests below are answered before any database access."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
        "LANGUAGE_COOKIE_SECURE": "off",
        "SERVE_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "portal.wsgi",
                "--config",
                str(GUNICORN_CONF),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while _request(port, "/auth/Sign-On") is None:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _request(port: int, target: str, **headers) -> tuple[int, str, str] | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", target, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return (
            response.status,
            response.getheader("Content-Type"),
            response.read().decode(),
        )
    except (ConnectionError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def test_live_gunicorn_answers_json_within_its_limits_and_html_beyond(gunicorn):
    within = _request(gunicorn, "/auth/Sign-On", Authorization="Digest " + "a" * 10_000)
    beyond = _request(gunicorn, "/auth/Sign-On", Authorization="Digest " + "a" * 20_000)
    long_url = _request(gunicorn, "/Services/Inquiry?q=" + "1" * 6_000)
    longest_url = _request(gunicorn, "/Services/Inquiry?q=" + "1" * 9_000)

    status, content_type, body = within
    assert (status, content_type) == (431, "application/json")
    assert json.loads(body)["rc"] == "02"
    assert "Header Authorization terlalu besar" in json.loads(body)["description"]
    status, content_type, body = long_url
    assert (status, content_type, json.loads(body)["rc"]) == (
        414,
        "application/json",
        "02",
    )
    # Beyond gunicorn's own limits it answers before Django, as HTML: what remains.
    assert beyond[:2] == (431, "text/html")
    assert longest_url[:2] == (414, "text/html")
