"""The OpenAPI description: generated from the spec, valid OpenAPI 3.1, describing every path
of the Open API with Digest security; downloadable as JSON and YAML."""

import json

import jsonschema
import schemathesis
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from docs_content.openapi_doc import openapi_document
from docs_content.spec import EXAMPLES, OPERATIONS, REVISIONS
from openapi import urls as openapi_urls


def open_api_paths() -> set[str]:
    """Every fixed path of the Open API (``auth/…`` and ``Services/…``) the openapi app
    serves; its catch-all for mistyped paths is not an operation."""
    paths = set()
    for pattern in openapi_urls.urlpatterns:
        route = str(pattern.pattern)
        if route.startswith(("auth/", "Services/")) and "(" not in route:
            paths.add(reverse(f"openapi:{pattern.name}"))
    return paths


def test_document_is_valid_openapi_3_1(settings):
    document = openapi_document()
    validate_schema(document)
    assert document["openapi"].startswith("3.1")
    assert document["info"]["version"] == REVISIONS[0].version
    assert document["servers"][0]["url"] == settings.SITE_URL
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_security_is_http_digest():
    document = openapi_document()
    schemes = document["components"]["securitySchemes"]
    assert (
        list(schemes.values()) == [schemes["digestAuth"]]
        and schemes["digestAuth"]["type"] == "http"
    )
    assert schemes["digestAuth"]["scheme"] == "digest"
    assert document["security"] == [{"digestAuth": []}]


def test_every_open_api_path_is_described():
    document = openapi_document()
    assert set(document["paths"]) == open_api_paths()
    assert len(document["paths"]) == len(OPERATIONS)
    for item in document["paths"].values():
        assert set(item) == {"post"}
        assert set(item["post"]["responses"]) == {"200", "401", "403"}


def test_examples_are_in_the_document_and_match_it():
    document = openapi_document()
    schemas = document["components"]["schemas"]
    for example in EXAMPLES:
        operation = next(op for op in OPERATIONS if op.key == example.operation)
        post = document["paths"][operation.path]["post"]
        content = post["requestBody"]["content"]["application/json"]
        assert example.request in [e["value"] for e in content["examples"].values()]
        name = "".join(p.title() for p in operation.key.split("_"))
        jsonschema.validate(example.request, schemas[f"{name}Request"])
        jsonschema.validate(example.response, schemas[f"{name}Response"])


def test_callback_is_a_signed_webhook():
    document = openapi_document()
    post = document["webhooks"]["callback"]["post"]
    assert post["parameters"][0]["name"] == "X-Signature"
    schema = document["components"]["schemas"]["Callback"]
    example = post["requestBody"]["content"]["application/json"]["examples"]
    jsonschema.validate(example["callback"]["value"], schema)


def test_schemathesis_reads_every_operation():
    schema = schemathesis.openapi.from_dict(openapi_document())
    labels = [result.ok().label for result in schema.get_all_operations()]
    assert labels == [f"POST {op.path}" for op in OPERATIONS]


def test_json_and_yaml_downloads(docs_client):
    response = docs_client.get(reverse("docs_content:openapi_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == openapi_document()
    response = docs_client.get(reverse("docs_content:openapi_yaml"))
    assert response["Content-Type"].startswith("application/yaml")
    assert yaml.safe_load(response.content) == openapi_document()
