"""Clients written for Kiosbank, pointed at a live server unchanged: ``manage.py runserver``
(what ``make run`` serves: SQLite, no Redis) and gunicorn with the project's configuration
(Redis for the nc store), both in processes of their own on a SQLite database that
``migrate`` and ``seed_demo`` prepared.

The raw client reads the challenge the way Kiosbank's PHP sample does (the raw response as
one text, from ``WWW-Authenticate: `` up to the first ``error``, split on "," and "=", the
first and last character of each value dropped) and sends ``nc`` in decimal. Go has no
Digest client in net/http: Go clients compute Digest by hand, and ``_go_style`` does what
they do (the canonical header map, ``strings.Split``/``TrimSpace``/``Trim``, ``%08x``) in
Python, since no Go toolchain is installed here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from openapi.tests.sqlite_demo import ROOT, sqlite_demo
from tests_journey.deployment import free_port

REALM = "WebOpenAPI"
PULSA = "501021"  # Telkomsel 10.000, chosen by the demo partner


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A migrated and seeded SQLite database, and the demo partner's credential."""
    base = tmp_path_factory.mktemp("kiosbank")
    env, seeded = sqlite_demo(base, LOG_LEVEL="WARNING")
    values = {
        key: value.strip("'")
        for key, value in (
            line.split("=", 1) for line in seeded.splitlines() if "=" in line[:20]
        )
    }
    return {"env": env, "db": base / "db.sqlite3", "base": base, **values}


class Server:
    def __init__(self, kind: str, port: int, process: subprocess.Popen, log: Path):
        self.kind = kind
        self.port = port
        self.process = process
        self.log = log


def _start(demo, kind: str) -> Server:
    port = free_port()
    env = dict(demo["env"])
    if kind == "runserver":
        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ]
    else:
        env.update(
            DEBUG="off",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=f"http://127.0.0.1:{port}",
            SECURE_SSL_REDIRECT="off",
            SECURE_HSTS_SECONDS="0",
            REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            WEB_CONCURRENCY="2",
            SERVE_BIND=f"127.0.0.1:{port}",
        )
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
        ]
    log = demo["base"] / f"{kind}.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own server
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(kind, port, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _raw(server, "GET", "/auth/Sign-On").startswith(b"HTTP/1.1 401"):
                return server
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise AssertionError(f"{kind} did not start: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module", params=["runserver", "gunicorn"])
def server(request, demo):
    started = _start(demo, request.param)
    yield started
    started.process.terminate()
    started.process.wait(timeout=30)


def _raw(server: Server, method: str, path: str, header_lines=(), body=b"") -> bytes:
    """One request over a socket of its own, as bytes; the whole answer, as bytes."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
        # Last: runserver drops a malformed header line and every line after it.
        *header_lines,
    ]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])


def _json(raw: bytes) -> dict:
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


def _php_sample_challenge(raw: bytes) -> list[tuple[str, str]]:
    """What Kiosbank's PHP sample gets out of the raw 401 answer."""
    text = raw.decode("latin-1")
    start = text.index("WWW-Authenticate: ") + len("WWW-Authenticate: ")
    end = text.index("error", start)
    pairs = []
    for part in text[start:end].strip().split(","):
        pieces = part.split("=")
        pairs.append((pieces[0], pieces[1][1:-1]))
    return pairs


class PhpSampleClient:
    """Signs like the PHP sample: one challenge, nc 1, 2, 3… in decimal."""

    def __init__(self, server: Server, demo: dict):
        self.server = server
        self.username = demo["DEV_USERNAME"]
        self.password = demo["DEV_PASSWORD"]
        self.nc = 0
        raw = _raw(server, "POST", "/auth/Sign-On", body=b"{}")
        assert _status(raw) == 401
        pairs = _php_sample_challenge(raw)
        assert [key for key, _value in pairs] == [
            "Digest realm",
            "qop",
            "nonce",
            "opaque",
        ]
        self.realm, self.qop, self.nonce, self.opaque = (v for _k, v in pairs)

    def authorization(self, path: str) -> str:
        self.nc += 1
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{self.username}:{self.realm}:{self.password}")
        ha2 = _md5(f"POST:{path}")
        response = _md5(f"{ha1}:{self.nonce}:{self.nc}:{cnonce}:{self.qop}:{ha2}")
        return (
            f'Authorization: Digest username="{self.username}", realm="{self.realm}", '
            f'nonce="{self.nonce}", uri="{path}", qop={self.qop}, nc={self.nc}, '
            f'cnonce="{cnonce}", response="{response}", opaque="{self.opaque}"'
        )

    def post(self, path: str, body: dict, header: str | None = None) -> tuple:
        header = header or self.authorization(path)
        raw = _raw(self.server, "POST", path, [header], json.dumps(body).encode())
        return _status(raw), _json(raw), header


def _signon_body(demo) -> dict:
    return {
        "mitra": demo["MITRA"],
        "accountID": demo["ACCOUNT_ID"],
        "merchantID": demo["MERCHANT_ID"],
        "merchantName": demo["MERCHANT_NAME"],
        "counterID": demo["COUNTER_ID"],
    }


def _pulsa_price(demo) -> str:
    with sqlite3.connect(demo["db"]) as db:
        (price,) = db.execute(
            "SELECT price FROM products_product WHERE code = ?", [PULSA]
        ).fetchone()
    return f"{price:012d}"


def _sale(demo, session_id: str, reference: str, customer: str) -> dict:
    price = _pulsa_price(demo)
    return {
        "merchantID": demo["MERCHANT_ID"],
        "sessionID": session_id,
        "productID": PULSA,
        "customerID": customer,
        "referenceID": reference,
        "tagihan": price,
        "admin": "000000000000",
        "total": price,
    }


def _customer() -> str:
    """A fresh number that the development simulator pays at once: it ends in 01 (a random
    ending would be 65, 64, 71, 17 or 39, another documented outcome, one time in 20)."""
    return "0812" + f"{uuid.uuid4().int % 10**6:06d}" + "01"


def test_the_raw_401_as_each_server_sends_it(server):
    raw = _raw(server, "GET", "/Services/getHargaByProductID")
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    names = [line.split(":", 1)[0] for line in lines[1:]]

    assert lines[0] == "HTTP/1.1 401 Unauthorized"
    challenge = next(line for line in lines if line.startswith("WWW-Authenticate: "))
    assert challenge.startswith(
        'WWW-Authenticate: Digest realm="WebOpenAPI",qop="auth",'
    )
    # The server's own headers come first (runserver: Date, Server; gunicorn: Server, Date,
    # Connection); then the application's, the challenge immediately followed by "error".
    assert names[names.index("WWW-Authenticate") + 1] == "error"
    assert set(names) >= {"Date", "Server", "Content-Type", "Content-Length"}
    assert json.loads(body)["rc"] == "10"


def test_the_php_sample_reads_exactly_the_four_values(server):
    raw = _raw(server, "POST", "/auth/Sign-On", body=b"{}")

    pairs = _php_sample_challenge(raw)

    assert [k for k, _v in pairs] == ["Digest realm", "qop", "nonce", "opaque"]
    realm, qop, nonce, opaque = (v for _k, v in pairs)
    assert (realm, qop) == (REALM, "auth")
    assert len(nonce) == len(opaque) == 32
    assert int(nonce, 16) >= 0 and int(opaque, 16) >= 0


def test_the_php_sample_client_signs_on_pays_and_each_replay_is_refused(server, demo):
    client = PhpSampleClient(server, demo)

    status, signed, first = client.post("/auth/Sign-On", _signon_body(demo))
    assert (status, signed["rc"]) == (200, "00")
    assert " nc=1," in first
    assert client.post("/auth/Sign-On", _signon_body(demo), first)[0] == 401

    reference = "KB" + secrets.token_hex(6)
    sale = _sale(demo, signed["SessionID"], reference, _customer())
    status, paid, second = client.post("/Services/SinglePayment", sale)
    assert (status, paid["rc"], paid["data"]["status"]) == (200, "00", "SUKSES")
    assert " nc=2," in second
    assert client.post("/Services/SinglePayment", sale, second)[0] == 401

    body = {"merchantID": demo["MERCHANT_ID"], "sessionID": signed["SessionID"]}
    status, group, third = client.post(
        "/Services/getHargaByProductID", {**body, "prefixID": "LST.AAAA"}
    )
    assert (status, group["rc"]) == (200, "00")
    assert " nc=3," in third
    assert client.post("/Services/getHargaByProductID", body, third)[0] == 401
    with (ROOT / "products" / "data" / "catalogue.csv").open(encoding="utf-8") as file:
        listrik = {row[1] for row in csv.reader(file) if row and row[0] == "listrik"}
    assert {r["code"] for r in group["record"]} == listrik
    assert all(
        set(r) == {"code", "name", "category", "type", "price", "admin", "status"}
        for r in group["record"]
    )


def _go_style(server: Server, demo: dict) -> dict:
    """A Go client: ``resp.Header.Get("Www-Authenticate")``, ``strings.Split(v, ",")``,
    ``strings.TrimSpace``, ``strings.SplitN(p, "=", 2)``, ``strings.Trim(v, "\\"")``,
    ``fmt.Sprintf("%08x", nc)``; Sign-On, then a price list."""
    raw = _raw(server, "POST", "/auth/Sign-On", body=b"{}")
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    canonical = {
        name.strip().title(): value.strip()
        for name, value in (line.split(":", 1) for line in head)
    }
    params = {}
    for part in canonical["Www-Authenticate"].removeprefix("Digest ").split(","):
        key, value = part.strip().split("=", 1)
        params[key] = value.strip('"')
    answers = []
    for nc, (path, body) in enumerate(
        [
            ("/auth/Sign-On", _signon_body(demo)),
            ("/Services/get-Deposit", {"merchantID": demo["MERCHANT_ID"]}),
        ],
        start=1,
    ):
        if answers:
            body["sessionID"] = answers[0]["SessionID"]
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{demo['DEV_USERNAME']}:{params['realm']}:{demo['DEV_PASSWORD']}")
        response = _md5(
            f"{ha1}:{params['nonce']}:{nc:08x}:{cnonce}:auth:{_md5('POST:' + path)}"
        )
        header = (
            f'Authorization: Digest username="{demo["DEV_USERNAME"]}", '
            f'realm="{params["realm"]}", nonce="{params["nonce"]}", uri="{path}", '
            f'cnonce="{cnonce}", nc={nc:08x}, qop=auth, response="{response}", '
            f'opaque="{params["opaque"]}", algorithm=MD5'
        )
        answers.append(
            _json(_raw(server, "POST", path, [header], json.dumps(body).encode()))
        )
    return {"params": params, "answers": answers}


def test_a_go_style_client(server, demo):
    result = _go_style(server, demo)

    assert set(result["params"]) == {"realm", "qop", "nonce", "opaque"}
    assert [a["rc"] for a in result["answers"]] == ["00", "00"]


def test_authorization_with_a_space_before_the_colon(server, demo):
    """What each server does with ``Authorization : Digest …`` (found out, not chosen):
    gunicorn refuses the request line (400, "Invalid HTTP header name"); runserver
    (http.server) ends the headers at that line, so the call arrives without Authorization
    and is answered with the challenge. Neither lets the header through; where a server
    does, ``digest.authorization_header`` reads it (see test_digest)."""
    client = PhpSampleClient(server, demo)
    header = client.authorization("/auth/Sign-On").replace(
        "Authorization:", "Authorization :"
    )

    raw = _raw(
        server,
        "POST",
        "/auth/Sign-On",
        [header],
        json.dumps(_signon_body(demo)).encode(),
    )

    if server.kind == "gunicorn":
        assert _status(raw) == 400
        assert b"Invalid HTTP header name" in raw or b'"rc"' in raw
    else:
        assert _status(raw) == 401
        assert "WWW-Authenticate: Digest " in raw.decode("latin-1")


def test_concurrent_duplicates_all_answer_86(server, demo):
    """10 SinglePayments with one referenceID released together: one 00, nine 86."""
    client = PhpSampleClient(server, demo)
    signed = client.post("/auth/Sign-On", _signon_body(demo))[1]
    reference = "DUP" + secrets.token_hex(6)
    sale = _sale(demo, signed["SessionID"], reference, _customer())
    count = 10
    # Each thread its own nonce, fetched before the start: nc order across threads is
    # not what this is about.
    clients = [PhpSampleClient(server, demo) for _ in range(count)]
    headers = [c.authorization("/Services/SinglePayment") for c in clients]
    start = threading.Barrier(count)
    answers: list = [None] * count

    def run(i):
        start.wait()
        try:
            answers[i] = clients[i].post("/Services/SinglePayment", sale, headers[i])[
                1
            ]["rc"]
        except Exception as exc:  # shown by the assertion below
            answers[i] = repr(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Counter(answers) == {"00": 1, "86": count - 1}, server.log.read_text()[
        -3000:
    ]
    with sqlite3.connect(demo["db"]) as db:
        (debits,) = db.execute(
            "SELECT COUNT(*) FROM billing_ledgerentry WHERE transaction_id IN "
            "(SELECT id FROM billing_transaction WHERE reference_id = ?)",
            [reference],
        ).fetchone()
    assert debits == 1
