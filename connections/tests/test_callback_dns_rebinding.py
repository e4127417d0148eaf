"""A callback goes to the address that was checked: the partner's host name is resolved
once, every address of the answer is checked, and the connection is made to that address
(with the host name as ``Host``, SNI and certificate name), so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot lead the portal elsewhere.

DNS is outside the system: ``socket.getaddrinfo`` is replaced by a resolver whose answer
changes after the first question."""

import shutil
import socket
import ssl
import subprocess

import pytest

from connections.models import CallbackDelivery
from connections.services import callback_attempt
from connections.tests.factories import CallbackDeliveryFactory, CallbackEndpointFactory

HOST = "callback.mitra.test"


class Resolver:
    """Answers ``first`` for ``HOST`` the first time and ``later`` every time after."""

    def __init__(self, monkeypatch, *, first: list[str], later: list[str]):
        self.first, self.later = first, later
        self.questions: list[str] = []
        self.real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self)

    def __call__(self, host, port, *args, **kwargs):
        if host not in (HOST, f"other.{HOST}"):
            return self.real(host, port, *args, **kwargs)
        answer = self.later if self.questions else self.first
        self.questions.append(host)
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (ip, port, 0, 0) if ":" in ip else (ip, port),
            )
            for ip in answer
        ]


def _delivery(partner, url, environment="development"):
    CallbackEndpointFactory(partner=partner, environment=environment, url=url)
    return CallbackDeliveryFactory(
        partner=partner, environment=environment, status="queued", attempts=0
    )


def test_the_callback_goes_to_the_first_answer_with_the_host_name_as_host(
    monkeypatch, partner, receiver
):
    port = receiver.server.server_address[1]
    # Nothing listens on 127.0.0.2: a second resolution would end in a refused connection.
    resolver = Resolver(monkeypatch, first=["127.0.0.1"], later=["127.0.0.2"])
    delivery = _delivery(partner, f"http://{HOST}:{port}/callback")

    attempt = callback_attempt(delivery=delivery, retry_in=None)

    assert attempt.http_status == 401  # the receiver answered (its secret is not set)
    assert len(receiver.requests) == 1
    assert receiver.requests[0].headers["Host"] == f"{HOST}:{port}"
    assert receiver.requests[0].path == "/callback"
    assert resolver.questions == [HOST]


def test_a_checked_public_answer_is_not_swapped_for_loopback_on_connect(
    settings, monkeypatch, partner, receiver
):
    settings.CALLBACK_ALLOW_PRIVATE_TARGETS = False
    port = receiver.server.server_address[1]
    # The check sees a public IPv6 address; the rebinding answer is this machine. Whatever
    # happens on the way to the public address, the local receiver must not be reached.
    resolver = Resolver(
        monkeypatch, first=["2606:4700:4700::1111"], later=["127.0.0.1"]
    )
    delivery = _delivery(partner, f"http://{HOST}:{port}/callback")

    callback_attempt(delivery=delivery, retry_in=None)

    assert receiver.requests == []
    assert resolver.questions == [HOST]


@pytest.mark.parametrize(
    "answer", [["10.20.30.40"], ["2606:4700:4700::1111", "127.0.0.1"]]
)
def test_a_name_with_any_private_address_in_its_answer_is_refused(
    settings, monkeypatch, partner, receiver, answer
):
    settings.CALLBACK_ALLOW_PRIVATE_TARGETS = False
    port = receiver.server.server_address[1]
    Resolver(monkeypatch, first=answer, later=answer)
    delivery = _delivery(partner, f"http://{HOST}:{port}/callback")

    attempt = callback_attempt(delivery=delivery, retry_in=30)

    delivery.refresh_from_db()
    assert receiver.requests == []
    assert attempt.error.startswith("Callback tidak dikirim")
    assert answer[-1] in attempt.error
    assert delivery.status == CallbackDelivery.Status.FAILED


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    """An https server on 127.0.0.1 whose self-signed certificate names ``HOST``; the
    portal trusts that certificate (``SSL_CERT_FILE``) and nothing else."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments, a test certificate
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    from connections.tests.receiver import Receiver

    server = Receiver().start()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    yield server
    server.stop()


def test_https_verifies_the_certificate_against_the_host_name(
    monkeypatch, partner, tls_receiver
):
    port = tls_receiver.server.server_address[1]
    Resolver(monkeypatch, first=["127.0.0.1"], later=["127.0.0.1"])
    delivery = _delivery(partner, f"https://{HOST}:{port}/callback")

    attempt = callback_attempt(delivery=delivery, retry_in=None)

    assert attempt.http_status == 401
    assert tls_receiver.requests[0].headers["Host"] == f"{HOST}:{port}"


def test_https_refuses_a_certificate_of_another_name(
    monkeypatch, partner, tls_receiver
):
    port = tls_receiver.server.server_address[1]
    Resolver(monkeypatch, first=["127.0.0.1"], later=["127.0.0.1"])
    delivery = _delivery(partner, f"https://other.{HOST}:{port}/callback")

    attempt = callback_attempt(delivery=delivery, retry_in=None)

    assert attempt.http_status is None
    assert attempt.error.startswith("Koneksi TLS/SSL gagal")
    assert tls_receiver.requests == []
