"""The adapter of the H2H JSON protocol (``billers.netsim.protocol``): the network simulator
(``python -m billers.netsim``) or any provider that speaks it.

The provider's row gives the base URL; its key is read from the environment
(``<credentials_env>_<ENVIRONMENT>_KEY``, e.g. ``NETSIM_DEVELOPMENT_KEY``) and used only to
sign: it is never logged nor put in an error. Answers map to our rc vocabulary
(``billers.adapters.base``); what the provider did not take raises ``Refused``, what it may
have taken and did not answer readably raises ``Unknown``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TypeGuard

from billers.adapters import transport
from billers.adapters.base import (
    BillerAnswer,
    Call,
    CallbackEvent,
    CallbackRejected,
    PriceRow,
    Refused,
    Unknown,
)
from billers.netsim import protocol

# A failed payment keeps the provider's rc when it is one of these; any other is 17.
FAILURE_RCS = frozenset({"17", "64", "65"})
# What the receipt of a payment may carry (strings only).
RECEIPT_KEYS = (
    "idPelanggan",
    "nama",
    "noReferensi",
    "sn",
    "token",
    "kwh",
    "kodeVoucher",
)
REASON_MAX = 40


def _is_int(value) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value) -> str:
    return value[:64] if isinstance(value, str) else ""


def _bill(data, customer_id: str) -> dict:
    """An inquiry's bill, checked: our Inquiry reads nama, tagihan, periode, rincian."""
    if not isinstance(data, dict):
        raise Unknown("inquiry answer without data")
    nama, tagihan = data.get("nama"), data.get("tagihan")
    periode = data.get("periode", 1)
    rows = data.get("rincianTagihan", [])
    if not (
        isinstance(nama, str)
        and _is_int(tagihan)
        and tagihan >= 0
        and _is_int(periode)
        and periode >= 1
        and isinstance(rows, list)
        and all(
            isinstance(row, dict)
            and _is_int(row.get("bulan"))
            and _is_int(row.get("tagihan"))
            for row in rows
        )
    ):
        raise Unknown("inquiry answer incomplete")
    return {
        "idPelanggan": customer_id,
        "nama": nama,
        "tagihan": tagihan,
        "periode": periode,
        "rincianTagihan": [
            {"bulan": row["bulan"], "tagihan": row["tagihan"]} for row in rows
        ],
    }


def _receipt(data) -> dict:
    if not isinstance(data, dict):
        return {}
    return {k: data[k] for k in RECEIPT_KEYS if isinstance(data.get(k), str)}


def _getter(headers: Mapping[str, str]) -> Callable[[str], str | None]:
    """Header lookup without regard to case (Django's ``request.headers`` already is; a
    plain dict may not be)."""
    lowered = {str(k).lower(): v for k, v in headers.items()}
    return lambda name: lowered.get(name.lower())


def status_answer(value: dict) -> BillerAnswer:
    """A status (or callback) answer: 00 success, 17 failed, 71 still pending; a
    reference the provider never took is 19 (still pending) unless the provider voided
    it (then it will never take it: failed, 17)."""
    status = value.get("status")
    provider_ref = _text(value.get("provider_ref"))
    if status == protocol.SUCCESS:
        return BillerAnswer(
            rc="00", data=_receipt(value.get("data")), provider_ref=provider_ref
        )
    if status == protocol.FAILED:
        return BillerAnswer(rc="17", provider_ref=provider_ref)
    if status == protocol.PENDING:
        return BillerAnswer(rc="71", provider_ref=provider_ref)
    if status == protocol.NOT_FOUND:
        return BillerAnswer(rc="17" if value.get("void") is True else "19")
    raise Unknown("unexpected status answer")


class H2HAdapter:
    def __init__(self, provider, environment: str):
        self.provider = provider
        self.environment = environment
        self.base_url = (provider.base_url or "").rstrip("/")

    def _key(self) -> str:
        return self.provider.credential(self.environment, "KEY")

    def _post(self, name: str, payload: dict, timeout: float) -> dict:
        """The provider's JSON answer to a signed request. Refused: no key or URL here,
        a 4xx, a "rejected" answer (maintenance, product closed, bad signature)."""
        key = self._key()
        if not key:
            raise Refused("no credential configured")
        if not self.base_url:
            raise Refused("no base URL")
        body = json.dumps(payload, separators=(",", ":")).encode()
        response = transport.send(
            "POST",
            self.base_url + protocol.PATHS[name],
            timeout=timeout,
            content=body,
            headers={
                "Content-Type": "application/json",
                **protocol.signed_headers(key, body),
            },
        )
        if 400 <= response.status_code < 500:
            raise Refused(f"http {response.status_code}")
        value = transport.json_of(response)
        if value.get("status") == protocol.REJECTED:
            reason = value.get("reason")
            raise Refused(
                f"rejected: {reason[:REASON_MAX] if isinstance(reason, str) else '?'}"
            )
        return value

    def _timeout(self) -> float:
        return float(self.provider.timeout_seconds)

    def inquiry(self, call: Call) -> BillerAnswer:
        value = self._post(
            "inquiry",
            {
                "ref": call.reference,
                "product": call.provider_code,
                "customer": call.customer_id,
                "periode": call.periode,
            },
            call.timeout,
        )
        status = value.get("status")
        if status == protocol.SUCCESS:
            return BillerAnswer(
                rc="00",
                data=_bill(value.get("data"), call.customer_id),
                provider_ref=_text(value.get("provider_ref")),
            )
        if status == protocol.FAILED:
            rc = value.get("rc")
            return BillerAnswer(rc=rc if rc in FAILURE_RCS else "17")
        raise Unknown("unexpected inquiry answer")

    def pay(self, call: Call) -> BillerAnswer:
        value = self._post(
            "pay",
            {
                "ref": call.reference,
                "product": call.provider_code,
                "customer": call.customer_id,
                "amount": call.amount,
            },
            call.timeout,
        )
        status = value.get("status")
        provider_ref = _text(value.get("provider_ref"))
        if status == protocol.SUCCESS:
            return BillerAnswer(
                rc="00", data=_receipt(value.get("data")), provider_ref=provider_ref
            )
        if status == protocol.PENDING:
            return BillerAnswer(rc="71", provider_ref=provider_ref)
        if status == protocol.FAILED:
            rc = value.get("rc")
            return BillerAnswer(
                rc=rc if rc in FAILURE_RCS else "17", provider_ref=provider_ref
            )
        raise Unknown("unexpected payment answer")

    def status(self, call: Call) -> BillerAnswer:
        value = self._post(
            "status",
            {"ref": call.reference, "provider_ref": call.provider_ref},
            call.timeout,
        )
        return status_answer(value)

    def balance(self) -> int:
        value = self._post("balance", {}, self._timeout())
        data = value.get("data")
        found = data.get("balance") if isinstance(data, dict) else None
        if value.get("status") != protocol.SUCCESS or not _is_int(found):
            raise Unknown("unexpected balance answer")
        return found

    def price_list(self) -> list[PriceRow]:
        value = self._post("price_list", {}, self._timeout())
        data = value.get("data")
        rows = data.get("products") if isinstance(data, dict) else None
        if value.get("status") != protocol.SUCCESS or not isinstance(rows, list):
            raise Unknown("unexpected price list")
        return [
            PriceRow(
                provider_code=row["code"],
                name=_text(row.get("name")),
                price=row["price"],
                available=row.get("available") is not False,
            )
            for row in rows
            if isinstance(row, dict)
            and isinstance(row.get("code"), str)
            and _is_int(row.get("price"))
        ]

    def callback_parse(
        self, *, headers: Mapping[str, str], body: bytes
    ) -> CallbackEvent:
        key = self._key()
        if not key:
            raise CallbackRejected("no credential configured")
        if (
            protocol.signer(
                [key],
                _getter(headers),
                body,
                max_age=protocol.CALLBACK_MAX_AGE_SECONDS,
            )
            is None
        ):
            raise CallbackRejected("bad signature")
        try:
            value = json.loads(body)
        except ValueError:
            raise CallbackRejected("unreadable body") from None
        if not isinstance(value, dict) or not isinstance(value.get("ref"), str):
            raise CallbackRejected("no reference")
        try:
            answer = status_answer(value)
        except Unknown:
            raise CallbackRejected("unexpected status") from None
        return CallbackEvent(reference=value["ref"], answer=answer)
