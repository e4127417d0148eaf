"""The Callback page: a pending Development purchase ends in a callback whose body is the
documented example, signed as documented, and checked by the documented sample code."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema
import pytest
from django.urls import reverse

from connections.tests.factories import CallbackEndpointFactory
from docs_content.openapi_doc import openapi_document
from docs_content.spec import CALLBACK, EXAMPLES_BY_KEY, OPERATIONS_BY_KEY
from docs_content.tests.helpers import api_session, block_texts, sample_code, sign_on
from portal.celery import app as celery_app


@pytest.fixture
def eager_tasks():
    """The pending purchase resolves and its callback is sent within the request, as the
    test settings do by default; kept explicit so the test does not depend on them."""
    saved = celery_app.conf["task_always_eager"]
    celery_app.conf.update(task_always_eager=True)
    yield
    celery_app.conf.update(task_always_eager=saved)


@pytest.fixture
def receiver():
    """A partner's callback server: keeps the raw body and headers, answers 200."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append((body, dict(self.headers)))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/callback", received
    server.shutdown()
    server.server_close()


def documented_payload(client) -> dict:
    html = client.get(
        reverse("docs_content:section", args=["callback"])
    ).content.decode()
    text = next(iter(block_texts(html, "data-callback-example").values()))
    return json.loads(text[text.index("{") :])


def signature_check(client, secret: str):
    html = client.get(
        reverse("docs_content:section", args=["callback"])
    ).content.decode()
    code = sample_code(html, "callback", "python").replace(
        "SECRET_CALLBACK_ANDA", secret
    )
    namespace: dict = {}
    exec(compile(code, "<sample callback>", "exec"), namespace)  # noqa: S102
    return namespace["signature_valid"]


def test_callback_is_the_documented_one(
    live_partner, owner_client, credential, live_server, receiver, eager_tasks
):
    url, received = receiver
    endpoint = CallbackEndpointFactory(partner=live_partner, url=url)
    api = api_session(credential)
    pending = EXAMPLES_BY_KEY["single_payment.pending"]
    body = pending.request | {
        "sessionID": sign_on(api, live_server.url, credential),
        "merchantID": credential.merchant_id,
    }
    answer = api.post(
        live_server.url + OPERATIONS_BY_KEY["single_payment"].path,
        json=body,
        timeout=30,
    ).json()
    assert answer["rc"] == pending.response["rc"] == "71"

    deadline = time.monotonic() + 20
    while not received and time.monotonic() < deadline:
        time.sleep(0.1)
    assert received, "the callback arrived"
    raw, headers = received[0]
    payload = json.loads(raw)

    assert signature_check(owner_client, endpoint.secret)(raw, headers["X-Signature"])
    assert not signature_check(owner_client, endpoint.secret + "x")(
        raw, headers["X-Signature"]
    )
    assert re.fullmatch(r"sha256=[0-9a-f]{64}", headers["X-Signature"])

    documented = documented_payload(owner_client)
    assert documented == CALLBACK | {"merchantID": credential.merchant_id}
    assert payload == documented
    schema = openapi_document()["components"]["schemas"]["Callback"]
    jsonschema.validate(payload, schema)
