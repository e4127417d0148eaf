"""One client IP for the audit trail, the login lockout, the Open API and the access log:
REMOTE_ADDR, or behind a trusted proxy the address that proxy saw in X-Forwarded-For."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.lib.client_ip import client_ip, proxy_waited
from portal.models import AuditEvent

PROXY = "10.0.0.1"
CLIENT = "203.0.113.9"


def _request(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies,remote,forwarded,seen",
    [
        ([], PROXY, CLIENT, PROXY),  # no proxy configured: the header is anyone's
        ([PROXY], "198.51.100.20", CLIENT, "198.51.100.20"),  # untrusted peer
        ([PROXY], PROXY, CLIENT, CLIENT),
        (["10.0.0.0/8"], PROXY, f"{CLIENT}, 10.0.0.2", CLIENT),  # a chain of proxies
        ([PROXY], PROXY, f"192.0.2.1, {CLIENT}", CLIENT),  # what the client prepended
        ([PROXY], PROXY, "bukan-alamat", PROXY),
        ([PROXY], PROXY, None, PROXY),
        (["fd00::/8"], "fd00::1", "2001:DB8::7", "2001:db8::7"),
        (["bukan-jaringan", PROXY], PROXY, CLIENT, CLIENT),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, seen):
    settings.TRUSTED_PROXIES = proxies

    assert client_ip(_request(remote, forwarded)) == seen


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_audit_row_records_the_client(
    owner_client, settings
):
    settings.TRUSTED_PROXIES = [PROXY]

    owner_client.post(
        reverse("connections:add"),
        {"environment": "production", "address": "36.94.12.7"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=CLIENT,
    )

    assert AuditEvent.objects.get(action="connection.created").ip == CLIENT


@pytest.mark.django_db
def test_from_an_untrusted_peer_x_forwarded_for_is_ignored(owner_client, settings):
    settings.TRUSTED_PROXIES = [PROXY]

    owner_client.post(
        reverse("connections:add"),
        {"environment": "production", "address": "36.94.12.7"},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR=CLIENT,
    )

    assert AuditEvent.objects.get(action="connection.created").ip == "198.51.100.20"


@pytest.mark.django_db
def test_the_lock_of_an_account_is_audited_with_the_client_behind_the_proxy(
    client, owner, settings
):
    settings.TRUSTED_PROXIES = [PROXY]

    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"identifier": owner.username, "password": "tebakan-salah"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT,
        )

    event = AuditEvent.objects.get(action="user.locked")
    assert (event.ip, event.partner, event.subject_id) == (
        CLIENT,
        owner.partner,
        str(owner.pk),
    )


@pytest.mark.django_db
def test_the_access_log_names_the_client_behind_the_proxy(client, settings, caplog):
    settings.TRUSTED_PROXIES = [PROXY]

    with caplog.at_level(logging.INFO, logger="portal.access"):
        client.get(
            reverse("accounts:login"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT
        )

    (line,) = [r for r in caplog.records if r.name == "portal.access"]
    assert line.client_ip == CLIENT


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    "proxies,remote,header,waited",
    [
        ([PROXY], PROXY, f"t={NOW - 2.5:.3f}", 2.5),  # nginx's $msec
        ([PROXY], "198.51.100.20", f"t={NOW - 2.5:.3f}", 0.0),  # anyone can send it
        ([], PROXY, f"t={NOW - 2.5:.3f}", 0.0),  # no proxy configured
        ([PROXY], PROXY, None, 0.0),
        ([PROXY], PROXY, "t=soon", 0.0),
        ([PROXY], PROXY, "t=nan", 0.0),
        ([PROXY], PROXY, "1800000000", 0.0),  # not nginx's form
        ([PROXY], PROXY, f"t={NOW + 5}", 0.0),  # a clock ahead of ours
        ([PROXY], PROXY, "t=0", 3600.0),  # at most an hour
    ],
)
def test_the_time_a_request_queued_is_told_only_by_a_trusted_proxy(
    settings, proxies, remote, header, waited
):
    settings.TRUSTED_PROXIES = proxies
    extra = {"REMOTE_ADDR": remote}
    if header is not None:
        extra["HTTP_X_REQUEST_START"] = header
    request = RequestFactory().post("/Services/Payment", **extra)

    assert proxy_waited(request, now=NOW) == pytest.approx(waited, abs=0.001)
