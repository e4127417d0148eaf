"""The Postman collection (v2.1): Digest auth, variables, one request per documented
example, the partner's own values and never a password."""

import json

from django.conf import settings
from django.urls import reverse

from docs_content.selectors import PASSWORD_PLACEHOLDER
from docs_content.spec import EXAMPLES, OPERATIONS_BY_KEY


def collection(client) -> dict:
    response = client.get(reverse("docs_content:postman"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.postman_collection.json"')
    return json.loads(response.content)


def requests_of(data: dict) -> list[dict]:
    return [item for folder in data["item"] for item in folder["item"]]


def test_collection_is_v2_1_with_digest_auth(docs_client):
    data = collection(docs_client)
    assert data["info"]["schema"].endswith("/v2.1.0/collection.json")
    auth = {entry["key"]: entry["value"] for entry in data["auth"]["digest"]}
    assert data["auth"]["type"] == "digest"
    assert auth["username"] == "{{username}}" and auth["password"] == "{{password}}"
    assert auth["algorithm"] == "MD5" and auth["realm"] == settings.DIGEST_REALM


def test_variables_hold_the_partners_values_but_no_password(docs_client, credential):
    data = collection(docs_client)
    variables = {entry["key"]: entry["value"] for entry in data["variable"]}
    assert variables["baseUrl"] == settings.SITE_URL
    assert variables["username"] == credential.username
    assert variables["merchantID"] == credential.merchant_id
    assert variables["merchantName"] == credential.merchant_name
    assert variables["password"] == PASSWORD_PLACEHOLDER
    assert variables["sessionID"] == ""


def test_one_request_per_example_with_variables_in_the_body(docs_client):
    items = requests_of(collection(docs_client))
    assert [item["name"] for item in items] == [example.title for example in EXAMPLES]
    for item, example in zip(items, EXAMPLES, strict=True):
        request = item["request"]
        operation = OPERATIONS_BY_KEY[example.operation]
        assert request["method"] == "POST"
        assert request["url"]["raw"] == "{{baseUrl}}" + operation.path
        body = json.loads(request["body"]["raw"])
        assert set(body) == set(example.request)
        if "sessionID" in body:
            assert body["sessionID"] == "{{sessionID}}"
        assert body["merchantID"] == "{{merchantID}}"
        assert json.loads(item["response"][0]["body"]) == example.response


def test_sign_on_stores_the_session_id(docs_client):
    first = requests_of(collection(docs_client))[0]
    script = "\n".join(first["event"][0]["script"]["exec"])
    assert 'pm.collectionVariables.set("sessionID", answer.SessionID)' in script
