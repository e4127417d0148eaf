"""A partner's callback server on 127.0.0.1: it verifies ``X-Signature`` (HMAC-SHA256 of the
body with the partner's secret) and answers the statuses a test lines up."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, statuses=(200,)):
        self.secret = ""
        self.statuses = list(statuses)
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                expected = hmac.new(
                    receiver.secret.encode(), body, hashlib.sha256
                ).hexdigest()
                signed = hmac.compare_digest(
                    f"sha256={expected}", self.headers.get("X-Signature", "")
                )
                receiver.received.append(
                    {"json": json.loads(body), "signature_valid": signed}
                )
                status = (
                    receiver.statuses.pop(0)
                    if len(receiver.statuses) > 1
                    else (receiver.statuses[0])
                )
                if not signed:
                    status = 401
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status":"OK"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/callback-mitra"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
