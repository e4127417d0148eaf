"""A Postman collection (v2.1) of the documentation's examples, with Digest auth and
variables for the base URL, the credential and the SessionID.

The Sign On request stores the SessionID it receives in the ``sessionID`` variable, so the
other requests can be sent right after it.
"""

from __future__ import annotations

import json

from django.conf import settings

from docs_content.selectors import PASSWORD_PLACEHOLDER, DevValues
from docs_content.spec import EXAMPLES, OPERATIONS_BY_KEY, REVISIONS

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
SIGN_ON_SCRIPT = [
    "const answer = pm.response.json();",
    'if (answer.rc === "00") {',
    '    pm.collectionVariables.set("sessionID", answer.SessionID);',
    "}",
]
# Request fields filled from collection variables.
VARIABLE_FIELDS = {
    "sessionID": "sessionID",
    "merchantID": "merchantID",
    "mitra": "mitra",
    "accountID": "accountID",
    "merchantName": "merchantName",
    "counterID": "counterID",
}


def _body(request: dict) -> str:
    body = {
        key: "{{" + VARIABLE_FIELDS[key] + "}}" if key in VARIABLE_FIELDS else value
        for key, value in request.items()
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def _item(example) -> dict:
    operation = OPERATIONS_BY_KEY[example.operation]
    path = operation.path.strip("/").split("/")
    item = {
        "name": example.title,
        "request": {
            "method": "POST",
            "header": [{"key": "Content-Type", "value": "application/json"}],
            "body": {
                "mode": "raw",
                "raw": _body(example.request),
                "options": {"raw": {"language": "json"}},
            },
            "url": {
                "raw": "{{baseUrl}}" + operation.path,
                "host": ["{{baseUrl}}"],
                "path": path,
            },
            "description": operation.description,
        },
        "response": [
            {
                "name": "Contoh jawaban",
                "status": "OK",
                "code": 200,
                "_postman_previewlanguage": "json",
                "header": [{"key": "Content-Type", "value": "application/json"}],
                "body": json.dumps(example.response, indent=2, ensure_ascii=False),
            }
        ],
    }
    if example.operation == "sign_on":
        item["event"] = [
            {
                "listen": "test",
                "script": {"type": "text/javascript", "exec": SIGN_ON_SCRIPT},
            }
        ]
    return item


def postman_collection(values: DevValues) -> dict:
    folders: dict[str, list] = {}
    for example in EXAMPLES:
        tag = OPERATIONS_BY_KEY[example.operation].tag
        folders.setdefault(tag, []).append(_item(example))
    variables = {
        "baseUrl": settings.SITE_URL,
        "username": values.username,
        "password": PASSWORD_PLACEHOLDER,
        "sessionID": "",
        **values.sign_on_body(),
    }
    return {
        "info": {
            "name": f"Web Open API {REVISIONS[0].version} (Development)",
            "description": (
                "Contoh request dokumentasi Web Open API. Isi variabel password dengan "
                "password Transaksi (Development) Anda, kirim Sign On, lalu request lain."
            ),
            "schema": SCHEMA,
        },
        "auth": {
            "type": "digest",
            "digest": [
                {"key": "username", "value": "{{username}}", "type": "string"},
                {"key": "password", "value": "{{password}}", "type": "string"},
                {"key": "realm", "value": settings.DIGEST_REALM, "type": "string"},
                {"key": "algorithm", "value": "MD5", "type": "string"},
            ],
        },
        "variable": [
            {"key": key, "value": value, "type": "string"}
            for key, value in variables.items()
        ],
        "item": [{"name": tag, "item": items} for tag, items in folders.items()],
    }
