"""The OpenAPI 3.1 description of the Open API, built from ``docs_content.spec``.

Request schemas follow what the services accept; response schemas are strict (no undocumented
field, every type and pattern as documented) and allow the common failure answer, which has
the same envelope with an empty ``data``.
"""

from __future__ import annotations

from django.conf import settings

from docs_content.spec import CALLBACK, CALLBACK_FIELDS, EXAMPLES, OPERATIONS, REVISIONS
from docs_content.spec.fields import (
    CUSTOMER_ID,
    DESCRIPTION,
    MERCHANT_ID,
    PRODUCT_ID,
    RC,
    REFERENCE_ID,
    SESSION_ID,
    echo,
)
from docs_content.spec.model import ARRAY, OBJECT, Field, Operation

OPENAPI_VERSION = "3.1.0"
SECURITY = "digestAuth"
SIGNATURE_PATTERN = "^sha256=[0-9a-f]{64}$"


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def _component(key: str) -> str:
    return "".join(part.title() for part in key.split("_"))


def field_schema(field: Field, *, strict: bool) -> dict:
    schema: dict = {"type": field.type, "description": field.description}
    if field.pattern:
        schema["pattern"] = f"^(?:{field.pattern})$"
    if field.enum:
        schema["enum"] = list(field.enum)
    if field.format:
        schema["format"] = field.format
    if field.example is not None:
        schema["examples"] = [field.example]
    if field.type == OBJECT:
        schema.update(object_schema(field.fields, strict=strict))
    elif field.type == ARRAY:
        schema["items"] = (
            object_schema(field.fields, strict=strict) if field.fields else {}
        )
    return schema


def object_schema(fields: tuple[Field, ...], *, strict: bool) -> dict:
    """``strict`` (answers): nothing undocumented. Requests may carry more fields: the API
    ignores them."""
    schema: dict = {
        "type": "object",
        "properties": {f.name: field_schema(f, strict=strict) for f in fields},
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    if strict:
        schema["additionalProperties"] = False
    return schema


def failure_schema() -> dict:
    """Every refused or failed call: rc and description, the echoed identifiers, empty data."""
    fields = (RC, DESCRIPTION) + tuple(
        echo(f).but(required=False)
        for f in (MERCHANT_ID, SESSION_ID, CUSTOMER_ID, PRODUCT_ID, REFERENCE_ID)
    )
    schema = object_schema(fields, strict=True)
    schema["properties"]["data"] = {
        "type": "object",
        "description": "Kosong pada jawaban gagal.",
        "maxProperties": 0,
    }
    schema["description"] = "Jawaban gagal atau ditolak (rc selain sukses)."
    return schema


def _examples(operation: Operation, part: str) -> dict:
    return {
        example.key.replace(".", "-"): {
            "summary": example.title,
            "value": getattr(example, part),
        }
        for example in EXAMPLES
        if example.operation == operation.key
    }


def _json(schema: dict, examples: dict | None = None) -> dict:
    content: dict = {"schema": schema}
    if examples:
        content["examples"] = examples
    return {"application/json": content}


def _operation(operation: Operation) -> dict:
    name = _component(operation.key)
    failure = {"$ref": "#/components/schemas/Failure"}
    return {
        "operationId": _camel(operation.key),
        "tags": [operation.tag],
        "summary": operation.summary,
        "description": operation.description,
        "requestBody": {
            "required": True,
            "content": _json(
                {"$ref": f"#/components/schemas/{name}Request"},
                _examples(operation, "request"),
            ),
        },
        "responses": {
            "200": {
                "description": "Jawaban; hasilnya dibaca dari rc.",
                "content": _json(
                    {
                        "anyOf": [
                            {"$ref": f"#/components/schemas/{name}Response"},
                            failure,
                        ]
                    },
                    _examples(operation, "response"),
                ),
            },
            "401": {
                "description": (
                    "Authorization Digest tidak ada atau salah; header WWW-Authenticate "
                    "berisi tantangan baru (stale=true bila nonce kedaluwarsa)."
                ),
                "headers": {
                    "WWW-Authenticate": {
                        "required": True,
                        "schema": {"type": "string", "pattern": "^Digest "},
                    }
                },
                "content": _json(failure),
            },
            "403": {
                "description": (
                    "IP belum terdaftar/disetujui untuk environment kredensial (rc 45), "
                    "atau akun mitra dinonaktifkan."
                ),
                "content": _json(failure),
            },
        },
    }


def _callback_webhook() -> dict:
    return {
        "post": {
            "operationId": "callback",
            "tags": ["Callback"],
            "summary": "Hasil akhir transaksi pending, dikirim ke URL callback Anda",
            "description": (
                "Dikirim saat transaksi pending mencapai status akhir. Jawab dengan HTTP 2xx; "
                "selain itu dikirim ulang dengan jeda yang makin panjang."
            ),
            "parameters": [
                {
                    "name": "X-Signature",
                    "in": "header",
                    "required": True,
                    "description": "sha256=<HMAC-SHA256(body, secret callback Anda)>",
                    "schema": {"type": "string", "pattern": SIGNATURE_PATTERN},
                }
            ],
            "requestBody": {
                "required": True,
                "content": _json(
                    {"$ref": "#/components/schemas/Callback"},
                    {"callback": {"summary": "Transaksi sukses", "value": CALLBACK}},
                ),
            },
            "responses": {"200": {"description": "Callback diterima."}},
        }
    }


def openapi_document() -> dict:
    """The whole description as a plain dict (JSON or YAML)."""
    schemas: dict = {"Failure": failure_schema()}
    for operation in OPERATIONS:
        name = _component(operation.key)
        schemas[f"{name}Request"] = object_schema(operation.request, strict=False)
        schemas[f"{name}Response"] = object_schema(operation.response, strict=True)
    schemas["Callback"] = object_schema(CALLBACK_FIELDS, strict=True)
    tags: list[str] = []
    for operation in OPERATIONS:
        if operation.tag not in tags:
            tags.append(operation.tag)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Web Open API",
            "version": REVISIONS[0].version,
            "description": (
                "Open API pembayaran tagihan dan pembelian produk prabayar. Semua request "
                "memakai POST dengan body JSON dan autentikasi HTTP Digest (MD5, qop=auth). "
                "Environment (Development atau Production) ditentukan oleh kredensial yang "
                "dipakai. Hasil setiap request dibaca dari rc."
            ),
        },
        "servers": [
            {
                "url": settings.SITE_URL,
                "description": "Development dan Production (sesuai kredensial)",
            }
        ],
        "security": [{SECURITY: []}],
        "tags": [{"name": tag} for tag in tags] + [{"name": "Callback"}],
        "paths": {op.path: {"post": _operation(op)} for op in OPERATIONS},
        "webhooks": {"callback": _callback_webhook()},
        "components": {
            "securitySchemes": {
                SECURITY: {
                    "type": "http",
                    "scheme": "digest",
                    "description": (
                        "HTTP Digest (RFC 7616/2617), algorithm MD5, qop=auth, realm "
                        f"{settings.DIGEST_REALM}. Username dan password dari kredensial "
                        "Transaksi (Development atau Production)."
                    ),
                }
            },
            "schemas": schemas,
        },
    }
