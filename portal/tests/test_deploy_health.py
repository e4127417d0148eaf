"""/healthz: the database and the broker, 200 when both answer, 503 naming what failed."""

import os
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_broker(settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = REDIS


def test_health_is_ok_when_database_and_redis_answer(client, db, redis_broker):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_health_says_eager_without_a_broker(client, db, settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_health_is_503_when_the_database_is_down(client, db, redis_broker):
    down = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connection, "cursor", side_effect=down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "ok"}


def test_health_is_503_when_the_broker_is_down(client, db, settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = CLOSED_PORT
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_health_needs_no_login_and_only_reads(
    client, db, redis_broker, django_assert_num_queries
):
    with django_assert_num_queries(1) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-store" in response["Cache-Control"]


def test_health_is_exempt_from_the_https_redirect(client, db, redis_broker, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/akun/login/").status_code == 301
    assert client.get("/healthz").status_code == 200
