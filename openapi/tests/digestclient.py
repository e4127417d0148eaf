"""A Digest client for Django's test client: fetches a challenge, then signs each request
the way standard clients do (one nonce, increasing nc)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets

from django.conf import settings

from openapi.tests.factories import PASSWORDS


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def challenge_params(header: str) -> dict:
    return dict(re.findall(r'(\w+)="?([^",]*)"?', header.removeprefix("Digest ")))


class DigestApi:
    """Calls the Open API through ``client`` as ``credential`` from ``ip``."""

    def __init__(self, client, credential, *, password=None, ip="127.0.0.1"):
        self.client = client
        self.credential = credential
        self.password = password or PASSWORDS[credential.environment]
        self.ip = ip
        self.nonce = ""
        self.nc = 0
        self.session_id = ""
        # How nc is written: 8 hex digits (RFC 7616) or, as Kiosbank's PHP sample does,
        # str (plain decimal).
        self.nc_text = lambda nc: f"{nc:08x}"

    def refresh_nonce(self) -> str:
        response = self.client.get("/auth/Sign-On", REMOTE_ADDR=self.ip)
        assert response.status_code == 401
        self.nonce = challenge_params(response["WWW-Authenticate"])["nonce"]
        self.nc = 0
        return self.nonce

    def authorization(self, method: str, uri: str) -> str:
        if not self.nonce:
            self.refresh_nonce()
        self.nc += 1
        nc = self.nc_text(self.nc)
        cnonce = secrets.token_hex(8)
        username = self.credential.username
        ha1 = md5(f"{username}:{settings.DIGEST_REALM}:{self.password}")
        ha2 = md5(f"{method}:{uri}")
        response = md5(f"{ha1}:{self.nonce}:{nc}:{cnonce}:auth:{ha2}")
        return (
            f'Digest username="{username}", realm="{settings.DIGEST_REALM}", '
            f'nonce="{self.nonce}", uri="{uri}", algorithm=MD5, qop=auth, nc={nc}, '
            f'cnonce="{cnonce}", response="{response}"'
        )

    def post_raw(self, path: str, data, *, content_type="application/json", **extra):
        extra.setdefault("REMOTE_ADDR", self.ip)
        if "HTTP_AUTHORIZATION" not in extra:
            extra["HTTP_AUTHORIZATION"] = self.authorization("POST", path)
        if not isinstance(data, (bytes, str)):
            data = json.dumps(data)
        return self.client.post(path, data, content_type=content_type, **extra)

    def post(self, path: str, body: dict, **extra):
        response = self.post_raw(path, body, **extra)
        assert response["Content-Type"].startswith("application/json")
        return response

    def call(self, path: str, body: dict, *, session: bool = True) -> dict:
        """POST ``body`` (with merchantID and, unless told otherwise, sessionID added)."""
        full = {"merchantID": self.credential.merchant_id, **body}
        if session:
            full.setdefault("sessionID", self.sign_on())
        response = self.post(path, full)
        assert response.status_code == 200, response.content
        return response.json()

    def signon_body(self) -> dict:
        c = self.credential
        return {
            "mitra": c.mitra,
            "accountID": c.account_id,
            "merchantID": c.merchant_id,
            "merchantName": c.merchant_name,
            "counterID": c.counter_id,
        }

    def sign_on(self) -> str:
        if not self.session_id:
            answer = self.post("/auth/Sign-On", self.signon_body()).json()
            assert answer["rc"] == "00", answer
            self.session_id = answer["SessionID"]
        return self.session_id
