"""The Kiosbank protocol as an adapter: this installation buying from another Kiosbank-style
aggregator, as a client of exactly the contract we serve ourselves (``shared/OPEN_API.md``).

What goes over the wire:

- **HTTP Digest** (MD5, ``qop=auth``), computed here: a challenge is fetched once (``GET``
  answers it), then each nonce is reused with an increasing ``nc`` (one round trip per call).
  A nonce is held by one request at a time (a per-process pool), so ``nc`` always reaches the
  upstream in order; a 401 (expired, ``stale=true``, or refused) is retried once with the
  challenge that 401 carried, and a second 401 is ``Refused`` (wrong credentials).
- **Sign-On once a day**: the ``SessionID`` is kept in the Django cache (shared by every
  process, Redis in production) per upstream and username until 23:59:59 Asia/Jakarta; one
  process signs on while the others wait for its session. An ``rc 34`` signs on again once
  (never right after a sign-on of this call, never in a loop: the upstream allows 99 a day).
- **Inquiry** → our inquiry. The upstream's amounts are kept in the cache under our
  reference, which is the same for a referenceID's Inquiry and Payment
  (``call_reference``), so that its **Payment** sends exactly what its Inquiry answered (and
  asks again, once, when the kept amounts are lost or refused with rc 61/70).
- **SinglePayment** for prepaid at the upstream's listed price (``getHargaByProductID``,
  cached a few minutes; an rc 42 re-reads it once).
- **Check-Status** as ``status()``. It needs the day of the transaction (``tglTransaksi``):
  the adapter returns it as ``provider_ref`` (``YYYY-MM-DD`` or ``YYYY-MM-DD/<noReferensi>``)
  and also keeps it in the cache for a payment that got no answer; without either it asks
  today, yesterday and the day before, and around midnight the next day too.
- **get-Deposit** as ``balance()``, **get-Product-List** as ``price_list()``.

Answers keep the upstream's rc: its vocabulary is ours. Except what says the request was not
taken, which raises ``Refused`` (routing may try the next provider and no money has moved):
rc 10 (maintenance), 73 (gangguan), 34 after a new sign-on, 41 (we may not sell it there),
15 (unknown there), 12 (our deposit there is short: passed through it would tell the partner
that *its* deposit is short), 02 (format), 45 (IP), 42/61/70 left after the one retry, any
4xx, and 502/503 (``transport``). An rc 86 to a payment means the upstream already holds our
reference: ``Unknown`` (ask its status, never elsewhere). A price above what the partner pays
us is ``Refused`` too: the adapter never buys at a loss.

Callbacks: the upstream signs them as it signs those to its own partners (``X-Signature:
sha256=<HMAC-SHA256(body, callback secret)>``); the secret the upstream shows us in its
Koneksi menu is the credential ``CALLBACK_SECRET``. Without it, or with a wrong signature or
another ``merchantID``, a callback is rejected (the status polling still resolves it).

Credentials (``provider.credential(environment, NAME)``): ``USERNAME`` and ``PASSWORD``
(Digest), and the Sign-On values ``MITRA``, ``ACCOUNT_ID``, ``MERCHANT_ID``,
``MERCHANT_NAME``, ``COUNTER_ID``; ``CALLBACK_SECRET`` for callbacks. None of them is ever
logged or put in an error's reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.cache import cache

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

# The contract's day: sessions end and tglTransaksi is counted in Asia/Jakarta.
JAKARTA = ZoneInfo("Asia/Jakarta")
SIGN_ON_PATH = "/auth/Sign-On"
# Answers that say the upstream did not take the request (see the module docstring).
NOT_TAKEN = frozenset({"02", "10", "12", "15", "41", "42", "45", "61", "70", "73"})
RC_SESSION = "34"
RC_NOT_FOUND = "19"
RC_REFERENCE_USED = "86"
# The upstream's nonces live 300 s; one is not reused after this.
NONCE_REUSE_SECONDS = 240
NONCES_KEPT = 16
# Sign-On: how long a process holds the lock, and how long the others wait for its session.
SIGN_ON_LOCK_SECONDS = 15
SIGN_ON_WAIT_SECONDS = 3.0
PRICE_SECONDS = 300
INQUIRY_SECONDS = 24 * 3600
PAYMENT_SECONDS = 4 * 24 * 3600
SIGN_ON_FIELDS = (
    ("mitra", "MITRA"),
    ("accountID", "ACCOUNT_ID"),
    ("merchantID", "MERCHANT_ID"),
    ("merchantName", "MERCHANT_NAME"),
    ("counterID", "COUNTER_ID"),
)
CREDENTIALS = ("USERNAME", "PASSWORD", *(name for _wire, name in SIGN_ON_FIELDS))
_RC = re.compile(r"[0-9]{2}")
_DAY = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})")
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _money(value: int) -> str:
    return f"{int(value):012d}"


def _amount(value) -> int:
    """A 12-digit amount of the contract (an int is taken too); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("amount")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise ValueError("amount")


def _today() -> date:
    return datetime.now(JAKARTA).date()


def _seconds_left_today() -> int:
    now = datetime.now(JAKARTA)
    end = datetime.combine(now.date(), datetime.max.time(), tzinfo=JAKARTA)
    return max(int((end - now).total_seconds()) - 5, 1)


# --- Digest --------------------------------------------------------------------------------


@dataclass
class _Nonce:
    realm: str
    nonce: str
    opaque: str
    nc: int = 0
    born: float = field(default_factory=time.monotonic)

    @property
    def fresh(self) -> bool:
        return time.monotonic() - self.born < NONCE_REUSE_SECONDS


def _challenge(response: transport.Answer) -> _Nonce | None:
    """The Digest challenge of a 401, or None when it has none we can answer."""
    header = response.headers.get("WWW-Authenticate", "")
    if header[:7].lower() != "digest ":
        return None
    params = {
        key.lower(): quoted or bare for key, quoted, bare in _PARAM.findall(header[7:])
    }
    qops = [q.strip().lower() for q in params.get("qop", "").split(",")]
    algorithm = params.get("algorithm", "MD5").upper()
    if not params.get("nonce") or "auth" not in qops or algorithm != "MD5":
        return None
    return _Nonce(
        realm=params.get("realm", ""),
        nonce=params["nonce"],
        opaque=params.get("opaque", ""),
    )


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


_pool_lock = threading.Lock()
_pool: dict[tuple, list[_Nonce]] = {}


def _nonce_take(key: tuple) -> _Nonce | None:
    with _pool_lock:
        kept = _pool.get(key, [])
        while kept:
            nonce = kept.pop()
            if nonce.fresh:
                return nonce
    return None


def _nonce_give_back(key: tuple, nonce: _Nonce) -> None:
    if not nonce.fresh:
        return
    with _pool_lock:
        kept = _pool.setdefault(key, [])
        if len(kept) < NONCES_KEPT:
            kept.append(nonce)


# --- the adapter ---------------------------------------------------------------------------


@contextmanager
def _before_sending() -> Iterator[None]:
    """Steps before the request that may move money (sign-on, a price): whatever happens
    to them, that request was not sent."""
    try:
        yield
    except Unknown as exc:
        raise Refused(f"before sending: {exc.reason}") from None


class KiosbankAdapter:
    def __init__(self, provider, environment: str):
        self.provider = provider
        self.environment = environment
        self.base_url = (provider.base_url or "").rstrip("/")
        self._prefix = urlsplit(self.base_url).path.rstrip("/")
        self._secret = {
            name: provider.credential(environment, name) for name in CREDENTIALS
        }
        self.username = self._secret["USERNAME"]
        self.merchant_id = self._secret["MERCHANT_ID"]
        scope = hashlib.sha256(f"{self.base_url}|{self.username}".encode()).hexdigest()
        self._scope = scope[:20]

    # -- plumbing -------------------------------------------------------------------------

    def _key(self, *parts: str) -> str:
        return ":".join(["billers", "kiosbank", self._scope, *parts])

    def _ready(self) -> None:
        if not self.base_url:
            raise Refused("no base URL")
        missing = [name for name in CREDENTIALS if not self._secret[name]]
        if missing:
            raise Refused(f"credentials not configured: {', '.join(missing)}")

    @staticmethod
    def _deadline(seconds: float) -> float:
        return time.monotonic() + seconds

    @staticmethod
    def _left(deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Refused("deadline passed before sending")
        return left

    def _default_deadline(self) -> float:
        return self._deadline(float(self.provider.timeout_seconds))

    def _pool_key(self) -> tuple:
        return (os.getpid(), self.base_url, self.username)

    def _fetch_challenge(self, deadline: float) -> _Nonce:
        try:
            response = transport.send(
                "GET", self.base_url + SIGN_ON_PATH, timeout=self._left(deadline)
            )
        except Unknown as exc:
            raise Refused(f"challenge: {exc.reason}") from None
        nonce = _challenge(response) if response.status_code == 401 else None
        if nonce is None:
            raise Refused(f"no Digest challenge (http {response.status_code})")
        return nonce

    def _authorization(self, nonce: _Nonce, uri: str) -> str:
        nonce.nc += 1
        nc = f"{nonce.nc:08x}"
        cnonce = secrets.token_hex(8)
        ha1 = _md5(f"{self.username}:{nonce.realm}:{self._secret['PASSWORD']}")
        ha2 = _md5(f"POST:{uri}")
        response = _md5(f"{ha1}:{nonce.nonce}:{nc}:{cnonce}:auth:{ha2}")
        header = (
            f'Digest username="{_quote(self.username)}", realm="{_quote(nonce.realm)}", '
            f'nonce="{_quote(nonce.nonce)}", uri="{_quote(uri)}", algorithm=MD5, '
            f'qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}"'
        )
        if nonce.opaque:
            header += f', opaque="{_quote(nonce.opaque)}"'
        return header

    def _post(self, path: str, body: dict, deadline: float) -> dict:
        """One authenticated POST and its JSON answer. A 401 is answered once more with
        the challenge it carried; any other 4xx was not taken (``Refused``)."""
        key = self._pool_key()
        nonce = _nonce_take(key) or self._fetch_challenge(deadline)
        uri = self._prefix + path
        for attempt in (1, 2):
            try:
                response = transport.send(
                    "POST",
                    self.base_url + path,
                    timeout=self._left(deadline),
                    json_body=body,
                    headers={"Authorization": self._authorization(nonce, uri)},
                )
            except (Refused, Unknown):
                _nonce_give_back(key, nonce)
                raise
            if response.status_code != 401:
                break
            renewed = _challenge(response)
            if attempt == 2 or renewed is None:
                raise Refused("digest: credentials refused (http 401)")
            nonce = renewed
        _nonce_give_back(key, nonce)
        if response.status_code == 403:
            raise Refused("http 403 (IP not approved at the provider)")
        if response.status_code >= 300:
            raise Refused(f"http {response.status_code}")
        return transport.json_of(response)

    @staticmethod
    def _rc(answer: dict) -> str:
        code = answer.get("rc")
        if not isinstance(code, str) or not _RC.fullmatch(code):
            raise Unknown("answer without a readable rc")
        return code

    # -- Sign-On and the session ----------------------------------------------------------

    def _session(self, deadline: float) -> tuple[str, bool]:
        """The day's SessionID and whether this call just made it."""
        found = cache.get(self._key("session"))
        if isinstance(found, str) and found:
            return found, False
        return self._sign_on(deadline), True

    def _sign_on(self, deadline: float) -> str:
        key = self._key("session")
        lock = self._key("signing-on")
        held = cache.add(lock, 1, SIGN_ON_LOCK_SECONDS)
        if not held:
            # Another process is signing on: its session serves this call too.
            until = min(deadline, time.monotonic() + SIGN_ON_WAIT_SECONDS)
            while time.monotonic() < until:
                time.sleep(0.05)
                found = cache.get(key)
                if isinstance(found, str) and found:
                    return found
        body = {wire: self._secret[name] for wire, name in SIGN_ON_FIELDS}
        try:
            with _before_sending():
                answer = self._post(SIGN_ON_PATH, body, deadline)
                code = self._rc(answer)
        finally:
            if held:
                cache.delete(lock)
        if code == RC_SESSION:
            raise Refused("sign-on refused: daily sign-on limit (rc 34)")
        session = answer.get("SessionID") or answer.get("sessionID")
        if code != "00" or not isinstance(session, str) or not session:
            raise Refused(f"sign-on refused (rc {code})")
        cache.set(key, session, _seconds_left_today())
        return session

    def _session_drop(self, session: str) -> None:
        key = self._key("session")
        if cache.get(key) == session:
            cache.delete(key)

    def session_forget(self) -> None:
        """Drop the kept SessionID (the next call signs on)."""
        cache.delete(self._key("session"))

    def _service(self, path: str, body: dict, deadline: float) -> dict:
        """A ``/Services`` call with the day's session; rc 34 signs on again, once."""
        with _before_sending():
            session, fresh = self._session(deadline)
        full = {"merchantID": self.merchant_id, **body}
        answer = self._post(path, {**full, "sessionID": session}, deadline)
        if self._rc(answer) != RC_SESSION:
            return answer
        self._session_drop(session)
        if fresh:
            raise Refused("rc 34 right after sign-on")
        with _before_sending():
            session, _fresh = self._session(deadline)
        answer = self._post(path, {**full, "sessionID": session}, deadline)
        if self._rc(answer) == RC_SESSION:
            raise Refused("rc 34 after a new sign-on")
        return answer

    # -- inquiry --------------------------------------------------------------------------

    def inquiry(self, call: Call) -> BillerAnswer:
        self._ready()
        deadline = self._deadline(call.timeout)
        return self._inquire(call, deadline)

    def _inquire(self, call: Call, deadline: float) -> BillerAnswer:
        body = {
            "productID": call.provider_code,
            "customerID": call.customer_id,
            "referenceID": call.reference,
        }
        if call.periode:
            body["periode"] = str(call.periode)
        answer = self._service("/Services/Inquiry", body, deadline)
        code = self._rc(answer)
        if code in NOT_TAKEN:
            raise Refused(f"inquiry rc {code}")
        if code != "00":
            return BillerAnswer(rc=code)
        try:
            data = answer["data"]
            tagihan, admin, total = (
                _amount(data[name]) for name in ("tagihan", "admin", "total")
            )
            periode = int(data.get("periode") or 1)
            rows = [
                {"bulan": row.get("bulan"), "tagihan": _amount(row["tagihan"])}
                for row in data.get("rincianTagihan") or []
            ]
            name = str(data.get("nama") or "")
        except (KeyError, TypeError, ValueError, AttributeError):
            raise Unknown("unreadable inquiry answer") from None
        cache.set(
            self._key("inquiry", call.reference),
            {
                "product": call.provider_code,
                "customer": call.customer_id,
                "amounts": [tagihan, admin, total],
            },
            INQUIRY_SECONDS,
        )
        return BillerAnswer(
            rc="00",
            data={
                "idPelanggan": call.customer_id,
                "nama": name,
                "tagihan": tagihan,
                "periode": periode,
                "rincianTagihan": rows,
            },
        )

    def _inquired(self, call: Call) -> tuple[int, int, int] | None:
        kept = cache.get(self._key("inquiry", call.reference))
        if (
            not isinstance(kept, dict)
            or kept.get("product") != call.provider_code
            or kept.get("customer") != call.customer_id
        ):
            return None
        tagihan, admin, total = kept["amounts"]
        return tagihan, admin, total

    def _inquire_again(self, call: Call, deadline: float) -> tuple[int, int, int]:
        with _before_sending():
            answer = self._inquire(call, deadline)
        if answer.rc != "00":
            raise Refused(f"inquiry before payment: rc {answer.rc}")
        amounts = self._inquired(call)
        if amounts is None:
            raise Refused("inquiry before payment not kept")
        return amounts

    # -- payment --------------------------------------------------------------------------

    def pay(self, call: Call) -> BillerAnswer:
        self._ready()
        deadline = self._deadline(call.timeout)
        if getattr(call.product, "is_prepaid", True):
            return self._buy(call, deadline)
        return self._pay_bill(call, deadline)

    def _price(self, call: Call, deadline: float, *, fresh: bool = False) -> int:
        key = self._key("price", call.provider_code)
        kept = None if fresh else cache.get(key)
        if isinstance(kept, int):
            return kept
        with _before_sending():
            answer = self._service(
                "/Services/getHargaByProductID",
                {"productID": call.provider_code},
                deadline,
            )
            code = self._rc(answer)
        if code != "00":
            raise Refused(f"price rc {code}")
        for record in answer.get("record") or []:
            if isinstance(record, dict) and record.get("code") == call.provider_code:
                if record.get("status", "AKTIF") != "AKTIF":
                    raise Refused(f"product {record.get('status')} at the provider")
                try:
                    price = _amount(record.get("price"))
                except ValueError:
                    raise Refused("unreadable price") from None
                cache.set(key, price, PRICE_SECONDS)
                return price
        raise Refused("product not listed at the provider")

    def _buy(self, call: Call, deadline: float) -> BillerAnswer:
        price = self._price(call, deadline)
        for attempt in (1, 2):
            if price > call.amount:
                raise Refused("price at the provider above our price")
            body = {
                "productID": call.provider_code,
                "customerID": call.customer_id,
                "referenceID": call.reference,
                "tagihan": _money(price),
                "admin": _money(0),
                "total": _money(price),
            }
            day = self._remember_payment(call, (price, 0, price))
            answer = self._service("/Services/SinglePayment", body, deadline)
            code = self._rc(answer)
            if code != "42" or attempt == 2:
                break
            price = self._price(call, deadline, fresh=True)
        return self._paid(code, answer, day)

    def _pay_bill(self, call: Call, deadline: float) -> BillerAnswer:
        amounts = self._inquired(call)
        kept = amounts is not None
        if amounts is None:
            amounts = self._inquire_again(call, deadline)
        for attempt in (1, 2):
            tagihan, admin, total = amounts
            if total > call.amount:
                raise Refused("amount at the provider above our amount")
            body = {
                "productID": call.provider_code,
                "customerID": call.customer_id,
                "referenceID": call.reference,
                "tagihan": _money(tagihan),
                "admin": _money(admin),
                "total": _money(total),
            }
            day = self._remember_payment(call, amounts)
            answer = self._service("/Services/Payment", body, deadline)
            code = self._rc(answer)
            if code not in ("61", "70") or not kept or attempt == 2:
                break
            amounts = self._inquire_again(call, deadline)
        return self._paid(code, answer, day)

    def _remember_payment(self, call: Call, amounts: tuple[int, int, int]) -> date:
        day = _today()
        cache.set(
            self._key("payment", call.reference),
            {"day": day.isoformat(), "amounts": list(amounts)},
            PAYMENT_SECONDS,
        )
        return day

    def _paid(self, code: str, answer: dict, day: date) -> BillerAnswer:
        if code in NOT_TAKEN:
            raise Refused(f"payment rc {code}")
        if code == RC_REFERENCE_USED:
            raise Unknown("the provider already holds this reference (rc 86)")
        data = answer.get("data")
        data = data if isinstance(data, dict) else {}
        reference = data.get("noReferensi")
        provider_ref = day.isoformat()
        if isinstance(reference, str) and reference:
            provider_ref = f"{provider_ref}/{reference}"[:64]
        return BillerAnswer(rc=code, data=data, provider_ref=provider_ref)

    # -- status ---------------------------------------------------------------------------

    def _days(self, call: Call) -> list[date]:
        known = _DAY.match(call.provider_ref or "")
        kept = cache.get(self._key("payment", call.reference))
        if known is None and isinstance(kept, dict):
            known = _DAY.match(str(kept.get("day", "")))
        if known is not None:
            try:
                day = date.fromisoformat(known.group(1))
            except ValueError:
                pass
            else:
                # Sent just before midnight, recorded by the upstream just after.
                return [day, day + timedelta(days=1)]
        today = _today()
        return [today - timedelta(days=n) for n in range(3)]

    def status(self, call: Call) -> BillerAnswer:
        self._ready()
        deadline = self._deadline(call.timeout)
        code, answer = RC_NOT_FOUND, {}
        asked: date | None = None
        for day in self._days(call):
            asked = day
            body = {
                "merchantID": self.merchant_id,
                "productID": call.provider_code,
                "customerID": call.customer_id,
                "referenceID": call.reference,
                "tglTransaksi": day.isoformat(),
            }
            answer = self._post("/Services/Check-Status", body, deadline)
            code = self._rc(answer)
            if code != RC_NOT_FOUND or deadline - time.monotonic() < 0.1:
                break
        data = answer.get("data")
        data = data if isinstance(data, dict) else {}
        provider_ref = ""
        if code == "00" and asked is not None:
            provider_ref = asked.isoformat()
            if isinstance(data.get("noReferensi"), str) and data["noReferensi"]:
                provider_ref = f"{provider_ref}/{data['noReferensi']}"[:64]
        return BillerAnswer(rc=code, data=data, provider_ref=provider_ref)

    # -- deposit and price list -----------------------------------------------------------

    def balance(self) -> int:
        self._ready()
        answer = self._service("/Services/get-Deposit", {}, self._default_deadline())
        code = self._rc(answer)
        if code != "00":
            raise Refused(f"deposit rc {code}")
        try:
            return _amount(answer["data"]["deposit"])
        except (KeyError, TypeError, ValueError):
            raise Unknown("unreadable deposit") from None

    def price_list(self) -> list[PriceRow]:
        """The upstream's catalogue: a prepaid product at its price, a postpaid one at its
        admin fee (what ``ProviderProduct.buy_price`` holds for each)."""
        self._ready()
        answer = self._service(
            "/Services/get-Product-List", {}, self._default_deadline()
        )
        code = self._rc(answer)
        if code != "00":
            raise Refused(f"product list rc {code}")
        rows = []
        for record in answer.get("record") or []:
            try:
                postpaid = record.get("type") == "pascabayar"
                price = _amount(record["admin" if postpaid else "price"])
                rows.append(
                    PriceRow(
                        provider_code=str(record["code"]),
                        name=str(record.get("name") or ""),
                        price=price,
                        available=record.get("status") == "AKTIF",
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
        return rows

    # -- callbacks ------------------------------------------------------------------------

    def callback_parse(
        self, *, headers: Mapping[str, str], body: bytes
    ) -> CallbackEvent:
        secret = self.provider.credential(self.environment, "CALLBACK_SECRET")
        if not secret or not self.merchant_id:
            raise CallbackRejected("no callback secret for this environment")
        signature = next(
            (v for k, v in headers.items() if k.lower() == "x-signature"), ""
        )
        expected = (
            "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, str(signature).strip()):
            raise CallbackRejected("bad signature")
        try:
            payload = json.loads(body)
        except ValueError:
            raise CallbackRejected("not JSON") from None
        if not isinstance(payload, dict):
            raise CallbackRejected("not a JSON object")
        if payload.get("merchantID") != self.merchant_id:
            raise CallbackRejected("another merchantID")
        reference, code = payload.get("referenceID"), payload.get("rc")
        if not isinstance(reference, str) or not reference:
            raise CallbackRejected("no referenceID")
        if not isinstance(code, str) or not _RC.fullmatch(code):
            raise CallbackRejected("no readable rc")
        data = payload.get("data")
        return CallbackEvent(
            reference=reference,
            answer=BillerAnswer(rc=code, data=data if isinstance(data, dict) else {}),
        )
