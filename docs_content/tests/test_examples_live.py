"""Every request example of the documentation, as the pages show it, is sent to the
Development API with real Digest auth after a real Sign On, and the answer must be the
documented one: the documentation cannot drift from the code."""

import json
import re

import jsonschema
from django.urls import reverse
from django.utils import timezone

from docs_content.openapi_doc import openapi_document
from docs_content.sections import SECTIONS
from docs_content.spec import EXAMPLES, EXAMPLES_BY_KEY, OPERATIONS_BY_KEY
from docs_content.tests.helpers import api_session, block_texts

RUNTIME = {"sessionID", "SessionID"}  # made by the Sign On of this run


def shown_examples(client) -> list[tuple[str, dict, dict]]:
    """(key, request, response) of every example, in the order a reader meets them."""
    shown = []
    for section in SECTIONS:
        html = client.get(reverse("docs_content:section", args=[section.slug])).content
        html = html.decode()
        for key in re.findall(r'data-example="([^"]+)"', html):
            block = re.search(
                rf'data-example="{re.escape(key)}".*?(?=data-example="|</article>)',
                html,
                re.S,
            ).group(0)
            texts = block_texts(block, "data-example-request")
            request = json.loads(next(iter(texts.values())))
            response = json.loads(
                next(iter(block_texts(block, "data-example-response").values()))
            )
            shown.append((key, request, response))
    return shown


def assert_documented(shown, live, path, example):
    """Same keys, same types, same values, except what a run makes anew, what depends on
    the partner's data, and the tail of a shortened list."""
    assert type(live) is type(shown), f"{path}: {type(live).__name__}"
    if isinstance(shown, dict):
        assert set(live) == set(shown), (
            f"{path}: fields {sorted(live)} != {sorted(shown)}"
        )
        for name, value in shown.items():
            inner = f"{path}.{name}".lstrip(".")
            if name in RUNTIME or inner in example.varies:
                assert type(live[name]) is type(value), inner
                continue
            assert_documented(value, live[name], inner, example)
    elif isinstance(shown, list):
        if path in example.truncated:
            assert len(live) >= len(shown), path
            live = live[: len(shown)]
        assert len(live) == len(shown), path
        for index, (a, b) in enumerate(zip(shown, live, strict=True)):
            assert_documented(a, b, f"{path}[{index}]", example)
    else:
        assert live == shown, f"{path}: live {live!r} != documented {shown!r}"


def success_schema(operation_key: str) -> dict:
    document = openapi_document()
    name = "".join(part.title() for part in operation_key.split("_"))
    schema = dict(document["components"]["schemas"][f"{name}Response"])
    schema["components"] = document["components"]
    return schema


def test_every_example_answers_as_documented(
    live_partner, owner_client, credential, live_server
):
    shown = shown_examples(owner_client)
    keys = [key for key, _request, _response in shown]
    assert sorted(set(keys)) == sorted(e.key for e in EXAMPLES), (
        "each example shown once"
    )
    assert len(keys) == len(set(keys))
    assert keys[0] == "sign_on", "Sign On comes first"

    api = api_session(credential)
    session_id = None
    today = timezone.localdate().isoformat()
    for key, request, response in shown:
        example = EXAMPLES_BY_KEY[key]
        operation = OPERATIONS_BY_KEY[example.operation]
        body = dict(request)
        if "sessionID" in body:
            body["sessionID"] = session_id
        if "tglTransaksi" in body:
            body["tglTransaksi"] = today
        answer = api.post(live_server.url + operation.path, json=body, timeout=30)
        assert answer.status_code == 200, (key, answer.text)
        live = answer.json()
        assert live["rc"] == response["rc"], (key, live)
        assert_documented(response, live, "", example)
        jsonschema.validate(live, success_schema(operation.key))
        if key == "sign_on":
            session_id = live["SessionID"]
            assert body == credential_body(credential), (
                "the page shows the partner's values"
            )


def credential_body(credential) -> dict:
    return {
        "mitra": credential.mitra,
        "accountID": credential.account_id,
        "merchantID": credential.merchant_id,
        "merchantName": credential.merchant_name,
        "counterID": credential.counter_id,
    }
