"""Helpers of portal/tests/test_nodes.py: `make serve NODES=2` for real (deploy/serve.sh with
nginx, two nodes of two gunicorns each, one Celery worker and beat, the network simulator),
a Celery worker process of a test's own, and small HTTP clients over real sockets: Open API
calls signed with Digest, and a portal browser with cookies and CSRF.

Ports: 8810–8849 unless NODES_TEST_PORTS says otherwise (the deployment: the proxy on the
first port, the simulator on + 4 and + 5, the nodes on + 10 … + 13; the tests' own simulator
and callback receiver on the last ten).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from tests_journey.deployment import port_free

ROOT = Path(__file__).resolve().parents[2]
PORTS = os.environ.get("NODES_TEST_PORTS", "8810-8849")


def port_range() -> range:
    first, _sep, last = PORTS.partition("-")
    return range(int(first), int(last) + 1)


def database_url(settings_dict) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def deployment_redis_url() -> str:
    """The deployment's own Redis database (its broker and cache), so that its worker never
    takes a task of another run's processes, nor they its own: NODES_TEST_REDIS_URL, or the
    database after the tests' own (REDIS_URL's number + 1)."""
    given = os.environ.get("NODES_TEST_REDIS_URL")
    if given:
        return given
    parts = urllib.parse.urlsplit(redis_url())
    number = int(parts.path.strip("/") or 0)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{(number + 1) % 16}"))


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


@contextlib.contextmanager
def port_lock(port: int):
    """Held while a deployment on ``port`` runs: another test process (an xdist worker)
    waits for it rather than starting a second deployment on the same ports and Redis."""
    path = Path(tempfile.gettempdir()) / f"webopenapi-nodes-{port}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refuses(port: int) -> bool:
    """Nothing listens on ``port`` any more (a connection is refused)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return False


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


# --- `make serve NODES=2` --------------------------------------------------------------------


@dataclass
class Node:
    role: str  # "api" or "portal"
    number: int  # 1, 2, …
    pid: int  # the gunicorn master, leader of the node's process group
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Deployment:
    """deploy/serve.sh with NODES=2 in a process group of its own (as a terminal's job)."""

    def __init__(self, *, base_port: int, database: str, workdir: Path, **env):
        self.port = base_port
        self.netsim_port = base_port + 4
        self.workdir = workdir
        self.proxy_dir = workdir / "nginx"
        self.log_path = workdir / "serve.log"
        self.netsim_key = secrets.token_urlsafe(24)
        self.redis_url = deployment_redis_url()
        self.env = {
            "PATH": os.environ.get("PATH", "") + ":/usr/sbin:/sbin",
            "HOME": os.environ.get("HOME", str(ROOT)),
            "BIN": str(Path(sys.executable).parent),
            "NODES": "2",
            "DATABASE_URL": database,
            "REDIS_URL": self.redis_url,
            "SERVE_BIND": f"127.0.0.1:{base_port}",
            "SITE_URL": f"http://127.0.0.1:{base_port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "STATIC_ROOT": str(workdir / "static"),
            "PRIVATE_STORAGE_ROOT": str(workdir / "private"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "beat-schedule"),
            "SERVE_PROXY_DIR": str(self.proxy_dir),
            "NETSIM_PORT": str(self.netsim_port),
            "NETSIM_KEYS": self.netsim_key,
            "NETSIM_STATE": str(workdir / "netsim-state.jsonl"),
            "WEB_CONCURRENCY": "2",
            "CELERY_CONCURRENCY": "2",
            **env,
        }
        self.process: subprocess.Popen | None = None

    # addresses
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def netsim_url(self) -> str:
        return f"http://127.0.0.1:{self.netsim_port}"

    def ports(self) -> list[int]:
        return [
            self.port,
            self.netsim_port,
            self.netsim_port + 1,
            *range(self.port + 10, self.port + 14),
        ]

    def nodes(self) -> list[Node]:
        path = self.proxy_dir / "nodes"
        if not path.exists():
            return []
        found = []
        for line in path.read_text().splitlines():
            role, number, pid, port = line.split()
            found.append(Node(role, int(number), int(pid), int(port)))
        return found

    def node(self, role: str, number: int) -> Node:
        return next(x for x in self.nodes() if x.role == role and x.number == number)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def access_log(self) -> dict[str, dict]:
        """nginx's lines by request id."""
        path = self.proxy_dir / "access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return {entry["request_id"]: entry for entry in map(json.loads, lines)}

    # the simulator's control port
    def netsim_control(self, path: str = "", body: dict | None = None):
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            f"http://127.0.0.1:{self.netsim_port + 1}/control{path}",
            data=None if body is None else json.dumps(body).encode(),
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return json.loads(answer.read())

    def netsim_taken(self, ref: str) -> dict | None:
        """What the simulator took under our reference ``ref`` (None: nothing)."""
        try:
            return self.netsim_control(f"/refs/{ref}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    # life
    def start(self, timeout: float = 180) -> Deployment:
        taken = [port for port in self.ports() if not port_free(port)]
        if taken:
            raise AssertionError(f"ports in use, cannot start the deployment: {taken}")
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own script
                [str(ROOT / "deploy" / "serve.sh")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def up():
            if self.process.poll() is not None:
                raise AssertionError(f"serve.sh ended: {self.log_text()[-3000:]}")
            nodes = self.nodes()
            if len(nodes) != 4:
                return False
            urls = [self.url, *(x.url for x in nodes)]
            return all(_status(f"{url}/healthz") == 200 for url in urls) and (
                "ready." in self.log_text()
            )

        try:
            wait_for(up, timeout, "the deployment", interval=0.5)
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, role: str, number: int) -> Node:
        """SIGKILL a node's gunicorn: its process group, master and workers at once."""
        node = self.node(role, number)
        os.killpg(node.pid, signal.SIGKILL)
        return node

    def stop(self) -> None:
        """SIGTERM, as `make serve` gets from a supervisor; then whatever is left is
        killed (the script's group and each node's)."""
        nodes = self.nodes()
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        groups = [node.pid for node in nodes]
        if self.process is not None:
            groups.append(self.process.pid)
        for pgid in groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        wait_for(
            lambda: not any(group_alive(pgid) for pgid in groups),
            20,
            "every process of the deployment to end",
        )


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - local
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, http.client.HTTPException):
        return None


# --- a Celery worker process of a test's own ----------------------------------------------


class WorkerProcess:
    """``python -m portal.tests.celery_worker``: the project's Celery app as a real worker
    process (prefork, one child) on a queue and Redis key prefix of the test's own."""

    def __init__(self, *, queue: str, prefix: str, env: dict, log: Path, **options):
        self.command = [
            sys.executable,
            "-m",
            "portal.tests.celery_worker",
            "--queue",
            queue,
            "--prefix",
            prefix,
            *(f"--{k.replace('_', '-')}={v}" for k, v in options.items()),
        ]
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        with self.log.open("a") as out:
            out.write(f"--- {' '.join(self.command)}\n")
            out.flush()
            self.process = subprocess.Popen(  # noqa: S603 - our own module
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def children(self) -> list[int]:
        return children(self.process.pid)

    def kill(self) -> None:
        """SIGKILL the whole worker: master and pool child at once."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


# --- the Open API over HTTP, signed with Digest ---------------------------------------------


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@dataclass
class Reply:
    status: int
    data: dict | None
    headers: dict = field(default_factory=dict)


class DigestCaller:
    """Calls the Open API at ``base`` (a node's api port or the proxy) as one credential:
    one nonce asked for with a 401, then nc 1, 2, … as standard clients do."""

    def __init__(self, base: str, *, username: str, password: str, realm: str):
        self.base = base
        self.username = username
        self.password = password
        self.realm = realm
        self.nonce = ""
        self.nc = 0

    def challenge(self, base: str | None = None) -> str:
        """A fresh nonce from the 401 of ``base`` (this caller's unless given)."""
        reply = request(base or self.base, "GET", "/auth/Sign-On")
        assert reply.status == 401, reply
        header = reply.headers["www-authenticate"]
        self.nonce = dict(re.findall(r'(\w+)="([^"]*)"', header))["nonce"]
        self.nc = 0
        return self.nonce

    def authorization(self, uri: str, *, nonce: str | None = None, nc: int) -> str:
        nonce = nonce or self.nonce
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{self.username}:{self.realm}:{self.password}")
        ha2 = _md5(f"POST:{uri}")
        response = _md5(f"{ha1}:{nonce}:{nc:08x}:{cnonce}:auth:{ha2}")
        return (
            f'Digest username="{self.username}", realm="{self.realm}", '
            f'nonce="{nonce}", uri="{uri}", algorithm=MD5, qop=auth, nc={nc:08x}, '
            f'cnonce="{cnonce}", response="{response}"'
        )

    def post(
        self,
        path: str,
        body: dict,
        *,
        base: str | None = None,
        authorization: str | None = None,
        headers: dict | None = None,
        timeout: float = 60,
    ) -> Reply:
        if authorization is None:
            if not self.nonce:
                self.challenge()
            self.nc += 1
            authorization = self.authorization(path, nc=self.nc)
        return request(
            base or self.base,
            "POST",
            path,
            json.dumps(body).encode(),
            {
                "Authorization": authorization,
                "Content-Type": "application/json",
                **(headers or {}),
            },
            timeout=timeout,
        )


def request(base, method, path, body=None, headers=None, *, timeout=60) -> Reply:
    """One request on a connection of its own; JSON read when the answer is JSON."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        raw = answer.read()
        answer_headers = {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()
    data = None
    if answer_headers.get("content-type", "").startswith("application/json"):
        data = json.loads(raw)
    return Reply(answer.status, data, answer_headers)


# --- the portal over HTTP, with cookies and CSRF --------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Page:
    status: int
    body: bytes
    headers: dict

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Browser:
    """A browser's cookies (the session and CSRF cookies are the site's, whichever port
    answers), requests to whichever node or the proxy: redirects are not followed."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def _open(self, req) -> Page:
        try:
            with self.opener.open(req, timeout=60) as answer:
                return Page(answer.status, answer.read(), dict(answer.headers))
        except urllib.error.HTTPError as exc:
            return Page(exc.code, exc.read(), dict(exc.headers))

    def get(self, base: str, path: str) -> Page:
        return self._open(urllib.request.Request(base + path))  # noqa: S310 - local http

    def post(
        self, base: str, path: str, fields: dict, files: dict | None = None
    ) -> Page:
        """A form POST with the CSRF token of the cookie (taken by a GET first if none);
        ``files``: {name: (filename, content_type, bytes)} as multipart."""
        if not self.cookie("csrftoken"):
            self.get(base, "/akun/login/")
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, fields, files)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        req = urllib.request.Request(  # noqa: S310 - local http
            base + path,
            data=body,
            method="POST",
            headers={"Content-Type": content_type},
        )
        return self._open(req)

    def login(self, base: str, identifier: str, password: str) -> Page:
        self.get(base, "/akun/login/")
        return self.post(
            base, "/akun/login/", {"identifier": identifier, "password": password}
        )


def _multipart(boundary: str, fields: dict, files: dict) -> bytes:
    out = []
    for name, value in fields.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content_type, content) in files.items():
        out.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)
