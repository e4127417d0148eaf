"""Local servers of our own for the billers tests, on the ports given to these tests
(8730–8749): this project served over real HTTP (so that a provider's webhook reaches our
callback URL) and a partner's callback receiver."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test.testcases import LiveServerThread

PORTS = range(8730, 8750)
HOST = "127.0.0.1"


def http_server(handler) -> ThreadingHTTPServer:
    """A threading HTTP server on the first free port of ``PORTS``."""
    for port in PORTS:
        try:
            return ThreadingHTTPServer((HOST, port), handler)
        except OSError:
            continue
    raise RuntimeError("no free port in 8730-8749")


def serve(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


class LiveProject:
    """This project's WSGI application served by Django's live-server thread (requests see
    what the test committed: use it with a transactional database)."""

    def __init__(self):
        self.thread = None
        for port in PORTS:
            thread = LiveServerThread(HOST, lambda app: app, port=port)
            thread.daemon = True
            thread.start()
            thread.is_ready.wait()
            if thread.error is None:
                self.thread = thread
                break
            thread.join()
        if self.thread is None:
            raise RuntimeError("no free port in 8730-8749")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.thread.port}"

    def stop(self) -> None:
        self.thread.terminate()


class PartnerReceiver:
    """A partner's callback server: keeps every JSON body it is sent, answers 200."""

    def __init__(self):
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status":"OK"}')

            def log_message(self, *args):
                pass

        self.server = http_server(Handler)
        serve(self.server)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/callback-mitra"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
