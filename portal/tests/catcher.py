"""An HTTP server on 127.0.0.1 that keeps what is POSTed to it: a partner's callback
endpoint, or anything else a test needs to receive (billers and the multi-node tests)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CallbackCatcher:
    """An HTTP server on the first free port of ``ports`` that keeps what is POSTed
    to it (headers and body) and answers 200 ``{}``."""

    def __init__(self, ports):
        self.received: list[dict] = []
        self.arrived = threading.Event()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                catcher.received.append(
                    {"headers": dict(self.headers.items()), "body": body}
                )
                catcher.arrived.set()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        for port in ports:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError(f"no free port in {ports}")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
