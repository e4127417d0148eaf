"""Starting and driving a network simulator process from the tests and the benchmark
(standard library only: the benchmark's driver has no Django)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_IN_USE = 98
# The ports the tests may use (pairs: H2H port, control port = H2H + 1).
DEFAULT_PORTS = os.environ.get("NETSIM_PORTS", "8700-8721")


def port_range(text: str = DEFAULT_PORTS) -> range:
    first, _sep, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def pairs_of_this_worker(ports: range) -> list[int]:
    """The first ports of the pairs of ``ports`` that this pytest-xdist worker may take:
    worker i of n takes every n-th pair from the i-th (all of them outside xdist, or when
    there are fewer pairs than workers). A simulator killed and started again must find its
    port free: without the split, another worker's simulator could take it meanwhile."""
    firsts = [port for port in ports[::2] if port + 1 in ports]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if not worker[2:].isdigit() or count <= 1 or len(firsts) < count:
        return firsts
    return firsts[int(worker[2:]) % count :: count]


class NetsimError(RuntimeError):
    pass


class NetsimProcess:
    """One simulator process: ``start()`` takes the first free pair of ports of ``ports``
    (a port taken by someone else is skipped), ``kill()`` and ``start()`` again keep the
    port (and, with ``state``, what it remembers)."""

    def __init__(
        self,
        *,
        key: str,
        ports: range | None = None,
        state: Path | None = None,
        args: tuple[str, ...] = (),
        python: str = sys.executable,
    ):
        self.key = key
        self.ports = ports or port_range()
        self.state = state
        self.args = tuple(args)
        self.python = python
        self.port = 0  # chosen by start()
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="netsim-", suffix=".log", delete=False
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def control_url(self) -> str:
        return f"http://127.0.0.1:{self.port + 1}/control"

    def _command(self, port: int) -> list[str]:
        command = [
            self.python,
            "-m",
            "billers.netsim",
            "--port",
            str(port),
            "--control-port",
            str(port + 1),
            *self.args,
        ]
        if self.state is not None:
            command += ["--state", str(self.state)]
        return command

    def _spawn(self, port: int) -> bool:
        """Start on ``port``; False when the port is taken."""
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["NETSIM_KEYS"] = self.key
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            self._command(port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        self.port = port
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code == ADDRESS_IN_USE:
                return False
            if code is not None:
                raise NetsimError(f"netsim exited with {code}: {self.log_text()}")
            try:
                if self.stats().get("pid") == self.process.pid:
                    return True
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        self.stop()
        raise NetsimError(f"netsim did not answer on {port}: {self.log_text()}")

    def start(self) -> NetsimProcess:
        if self.port:  # started before: the same port again
            deadline = time.monotonic() + 10
            while not self._spawn(self.port):
                if time.monotonic() > deadline:
                    raise NetsimError(f"port {self.port} stays in use")
                time.sleep(0.2)
            return self
        for port in pairs_of_this_worker(self.ports):
            if self._spawn(port):
                return self
        self.port = 0
        raise NetsimError(f"no free port pair in {self.ports}")

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    # --- control ---------------------------------------------------------------------------

    def _call(self, path: str, body: dict | None = None, method: str | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.control_url + path,
            data=data,
            method=method or ("POST" if data is not None else "GET"),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise NetsimError(f"{path}: {exc.code} {exc.read()[:300]!r}") from None

    def control(self, **changes) -> dict:
        """Change switches at run time (``down=True``, ``timeout_share=0.2``…)."""
        return self._call("", changes)

    def stats(self) -> dict:
        return self._call("/stats")

    def reset(self) -> dict:
        """Back to the switches it started with, counts and references forgotten."""
        return self._call("/reset", {}, method="POST")

    def callbacks(self) -> list[dict]:
        return self._call("/callbacks")

    def taken(self, ref: str) -> dict | None:
        try:
            return self._call(f"/refs/{ref}")
        except NetsimError:
            return None

    # --- stopping ------------------------------------------------------------------------

    def kill(self) -> None:
        """SIGKILL: the process dies at once, whatever it was doing."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self) -> None:
        self.stop()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
