"""A real HTTP server on 127.0.0.1 that receives callbacks the way a partner's server would:
it checks ``X-Signature`` against the body with the secret it was given, and answers with
the statuses a test lines up (401 when the signature is wrong)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str = ""
    statuses: list[int] = field(default_factory=lambda: [200])
    answer: bytes = b'{"status":"OK","pesan":"diterima"}'
    requests: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/callback"

    def next_status(self) -> int:
        # The last status repeats once the list is used up.
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                expected = (
                    "sha256="
                    + hmac.new(
                        receiver.secret.encode(), body, hashlib.sha256
                    ).hexdigest()
                )
                valid = hmac.compare_digest(
                    expected, self.headers.get("X-Signature", "")
                )
                receiver.requests.append(
                    Received(self.path, dict(self.headers), body, valid)
                )
                status = receiver.next_status() if valid else 401
                answer = receiver.answer if valid else b"signature tidak valid"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
