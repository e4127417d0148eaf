"""A partner's Open API client as a partner would write it: `requests` with the standard HTTP
Digest authentication, a Sign-On for the day's sessionID, then the services."""

from __future__ import annotations

import requests
from requests.auth import HTTPDigestAuth

from tests_journey.mailbox import TransactionCredential

TIMEOUT = 60


class OpenApiClient:
    def __init__(self, base_url: str, credential: TransactionCredential):
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.http = requests.Session()
        self.http.auth = HTTPDigestAuth(credential.username, credential.password)
        self.session_id: str | None = None

    def post(self, path: str, body: dict, *, expect_rc: str | None = "00") -> dict:
        answer = self.http.post(self.base_url + path, json=body, timeout=TIMEOUT)
        try:
            data = answer.json()
        except ValueError:
            raise AssertionError(
                f"{self.credential.environment} {path}: HTTP {answer.status_code}, "
                f"not JSON: {answer.text[:300]!r}"
            ) from None
        if expect_rc is not None and data.get("rc") != expect_rc:
            raise AssertionError(
                f"{self.credential.environment} {path} answered rc {data.get('rc')!r} "
                f"(HTTP {answer.status_code}), expected {expect_rc}: {data}"
            )
        return data

    def sign_on(self) -> str:
        data = self.post("/auth/Sign-On", self.credential.sign_on_body())
        self.session_id = data["SessionID"]
        return self.session_id

    def service(self, name: str, expect_rc: str | None = "00", **fields) -> dict:
        assert self.session_id, "Sign-On first"
        body = {
            "sessionID": self.session_id,
            "merchantID": self.credential.merchant_id,
            **fields,
        }
        return self.post(f"/Services/{name}", body, expect_rc=expect_rc)

    def deposit(self) -> int:
        return int(self.service("get-Deposit")["data"]["deposit"])

    def price(self, product_id: str) -> str:
        record = self.service("getHargaByProductID", productID=product_id)["record"]
        return amount(record[0]["price"])

    def inquiry_and_payment(self, *, product_id: str, customer_id: str, reference: str):
        bill = self.service(
            "Inquiry",
            productID=product_id,
            customerID=customer_id,
            referenceID=reference,
        )["data"]
        paid = self.service(
            "Payment",
            productID=product_id,
            customerID=customer_id,
            referenceID=reference,
            tagihan=bill["tagihan"],
            admin=bill["admin"],
            total=bill["total"],
        )
        return bill, paid

    def single_payment(self, *, product_id: str, customer_id: str, reference: str):
        price = self.price(product_id)
        return self.service(
            "SinglePayment",
            productID=product_id,
            customerID=customer_id,
            referenceID=reference,
            tagihan=price,
            admin=amount(0),
            total=price,
        )


def amount(value) -> str:
    """A rupiah amount as the API writes it: 12 digits, zero-padded."""
    return f"{int(value):012d}"
