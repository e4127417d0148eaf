"""A fake Digiflazz buyer API on real HTTP, following its public documentation
(https://developer.digiflazz.com/api/buyer/): what the tests of our adapter talk to.

Documented behaviour it follows:

- JSON POSTs to ``/v1/cek-saldo`` (``cmd`` "deposit", ``sign = md5(username + key + "depo")``),
  ``/v1/price-list`` (``cmd`` "prepaid"/"pasca", ``sign = md5(username + key + "pricelist")``)
  and ``/v1/transaction`` (``sign = md5(username + key + ref_id)``); every answer is wrapped in
  ``{"data": …}``. A wrong signature is rc 41, an unknown username rc 42, a payload without
  the required fields rc 40.
- One username, two API keys (development and production mode).
- A top-up sent again with the same ``ref_id`` is its status check (the same record comes
  back); ``inq-pasca`` / ``pay-pasca`` (same ``ref_id`` as the inquiry) / ``status-pasca``
  for bills.
- Status "Sukses" (rc 00, ``sn``), "Pending" (rc 03) or "Gagal" with an rc of the documented
  table; ``price`` and ``buyer_last_saldo`` with each answer; the deposit is charged when a
  transaction is made and given back when it fails; "Saldo tidak cukup" is rc 44 and makes no
  transaction; an SKU that is unknown or off is rc 43.
- With ``"testing": true`` the documented test numbers answer as documented
  (087800001230 Sukses, …232 Gagal, …233 Pending then Sukses, …234 Pending then Gagal).
- Webhooks: POST ``{"data": …}`` with ``X-Digiflazz-Event`` (create/update),
  ``X-Digiflazz-Delivery``, ``X-Hub-Signature: sha1=<hmac-sha1(secret, body)>`` and a
  User-Agent starting with ``DigiFlazz-Hookshot/`` (prepaid) or ``DigiFlazz-Pasca-Hookshot/``.

Not documented, chosen here: request errors are answered with HTTP 400 (the JSON is the
same); a ``ref_id`` sent again for another product or number is rc 49; an inquiry asked again
with its ``ref_id`` replaces the earlier one; the SN of a PLN token is
``<20 digits in groups of 4>/<name>/<tariff>/<power>/<kWh>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from billers.tests.fakes.local import HOST, http_server, serve

SUKSES, PENDING, GAGAL = "Sukses", "Pending", "Gagal"

# The documented table (https://developer.digiflazz.com/api/buyer/response-code), the codes
# the fake uses.
MESSAGES = {
    "00": "Transaksi Sukses",
    "02": "Transaksi Gagal",
    "03": "Transaksi Pending",
    "40": "Payload Error",
    "41": "Signature tidak valid",
    "42": "Gagal memproses API Buyer",
    "43": "SKU tidak di temukan atau Non-Aktif",
    "44": "Saldo tidak cukup",
    "49": "Ref ID tidak unik",
    "50": "Transaksi Tidak Ditemukan",
    "54": "Nomor Tujuan Salah",
    "55": "Produk Sedang Gangguan",
    "60": "Tagihan belum tersedia",
    "85": "Limitasi transaksi",
}
# The documented test cases of prepaid products (with "testing": true).
TEST_CASES = {
    "087800001230": ("Sukses", "", ""),
    "087800001232": ("Gagal", "", "02"),
    "087800001233": ("Pending", "Sukses", ""),
    "087800001234": ("Pending", "Gagal", "02"),
}


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@dataclass
class Sku:
    """A product of the buyer's price list."""

    code: str
    name: str
    price: int = 0
    postpaid: bool = False
    admin: int = 0
    commission: int = 0
    category: str = "Pulsa"
    brand: str = ""
    active: bool = True
    gangguan: bool = False


@dataclass
class Plan:
    """How a customer number behaves: the first status, and for a pending one its final
    status (reached by ``finish`` or after ``pending_resends`` status checks)."""

    first: str = SUKSES
    final: str = SUKSES
    rc: str = "02"
    pending_resends: int | None = None


@dataclass
class Record:
    kind: str  # "prepaid", "inq-pasca" or "pay-pasca"
    ref_id: str
    sku: str
    customer_no: str
    status: str
    rc: str
    price: int
    mode: str
    testing: bool
    final: str = SUKSES
    final_rc: str = "02"
    pending_left: int | None = None
    sn: str = ""
    trx_id: str = field(default_factory=lambda: uuid.uuid4().hex[:24])
    bill: dict = field(default_factory=dict)


class FakeDigiflazz:
    def __init__(
        self,
        *,
        username: str,
        dev_key: str,
        prod_key: str,
        webhook_secret: str,
        deposit: int = 5_000_000,
    ):
        self.username = username
        self.keys = {"development": dev_key, "production": prod_key}
        self.webhook_secret = webhook_secret
        self.deposit = deposit
        self.skus: dict[str, Sku] = {}
        self.plans: dict[str, Plan] = {}
        self.records: dict[tuple[str, str], Record] = {}
        self.requests: list[tuple[str, dict]] = []
        self.callback_url = ""
        # Faults: "down" answers 503 before anything is done; "garble" does the work and
        # answers an HTML page.
        self.down = False
        self.garble = False
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, data = fake._handle(self.path, raw)
                if status == 503:
                    self._send(503, b"Service Unavailable", "text/plain")
                elif fake.garble and self.path.endswith("/transaction"):
                    self._send(
                        200, b"<html><body>Bad Gateway</body></html>", "text/html"
                    )
                else:
                    self._send(status, json.dumps({"data": data}).encode())

            def _send(self, status, body, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http_server(Handler)
        serve(self.server)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/v1"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the API ---------------------------------------------------------------------------

    def _handle(self, path: str, raw: bytes) -> tuple[int, object]:
        if self.down:
            return 503, None
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return 400, self._error("40")
        with self._lock:
            self.requests.append((path, body))
            if path == "/v1/cek-saldo":
                return self._balance(body)
            if path == "/v1/price-list":
                return self._price_list(body)
            if path == "/v1/transaction":
                return self._transaction(body)
        return 404, self._error("40")

    @staticmethod
    def _error(rc: str, *, status: bool = True) -> dict:
        data = {"rc": rc, "message": MESSAGES[rc]}
        if status:
            data["status"] = GAGAL
        return data

    def _mode(self, body: dict, suffix: str) -> str | None:
        """The mode whose key made ``sign`` (None when no key did)."""
        sign = str(body.get("sign") or "")
        for mode, key in self.keys.items():
            if hmac.compare_digest(md5(self.username + key + suffix), sign):
                return mode
        return None

    def _check(self, body: dict, required: tuple, suffix: str, *, status: bool):
        if any(not isinstance(body.get(name), str) for name in required):
            return None, (400, self._error("40", status=status))
        if body["username"] != self.username:
            return None, (400, self._error("42", status=status))
        mode = self._mode(body, suffix)
        if mode is None:
            return None, (400, self._error("41", status=status))
        return mode, None

    def _balance(self, body: dict):
        _mode, refused = self._check(
            body, ("cmd", "username", "sign"), "depo", status=False
        )
        if refused:
            return refused
        if body["cmd"] != "deposit":
            return 400, self._error("40", status=False)
        return 200, {"deposit": self.deposit}

    def _price_list(self, body: dict):
        _mode, refused = self._check(
            body, ("cmd", "username", "sign"), "pricelist", status=False
        )
        if refused:
            return refused
        if body["cmd"] not in ("prepaid", "pasca"):
            return 400, self._error("40", status=False)
        postpaid = body["cmd"] == "pasca"
        rows = []
        for sku in self.skus.values():
            if sku.postpaid != postpaid:
                continue
            row = {
                "product_name": sku.name,
                "category": sku.category,
                "brand": sku.brand,
                "seller_name": "PT. Penjual Uji",
                "buyer_sku_code": sku.code,
                "buyer_product_status": sku.active,
                "seller_product_status": not sku.gangguan,
                "desc": "-",
            }
            if postpaid:
                row.update(admin=sku.admin, commission=sku.commission)
            else:
                row.update(
                    type="Umum",
                    price=sku.price,
                    unlimited_stock=True,
                    stock=0,
                    multi=True,
                    start_cut_off="23:45",
                    end_cut_off="00:15",
                )
            rows.append(row)
        return 200, rows

    def _transaction(self, body: dict):
        required = ("username", "buyer_sku_code", "customer_no", "ref_id", "sign")
        mode, refused = self._check(
            body, required, str(body.get("ref_id") or ""), status=True
        )
        if refused:
            return refused
        commands = body.get("commands") or ""
        testing = body.get("testing") is True
        sku = self.skus.get(body["buyer_sku_code"])
        if commands in ("", "pay-pasca", "status-pasca"):
            kind = "prepaid" if commands == "" else "pay-pasca"
        elif commands == "inq-pasca":
            kind = "inq-pasca"
        else:
            return 400, self._error("40")
        known = self.records.get((kind, body["ref_id"]))
        if known is not None:
            if (known.sku, known.customer_no) != (
                body["buyer_sku_code"],
                body["customer_no"],
            ):
                return 200, self._answer(known, rc="49")
            if kind == "inq-pasca":
                del self.records[(kind, body["ref_id"])]
            else:
                self._advance(known)
                return 200, self._answer(known)
        if commands == "status-pasca":
            return 200, self._error("50")
        if sku is None or not sku.active or sku.postpaid != (kind != "prepaid"):
            return 200, self._error("43")
        if kind == "inq-pasca":
            return 200, self._inquiry(body, sku, mode, testing)
        if kind == "pay-pasca":
            asked = self.records.get(("inq-pasca", body["ref_id"]))
            if asked is None or asked.status != SUKSES:
                return 200, self._error("50")
            price = asked.price
            bill = asked.bill
        else:
            price = sku.price
            bill = {}
        if sku.gangguan:
            return 200, self._answer(
                self._record(kind, body, sku, GAGAL, "55", price, mode, testing)
            )
        if self.deposit < price:
            return 200, self._error("44")
        first, final, rc = self._plan(body["customer_no"], testing, kind)
        record = self._record(kind, body, sku, first, rc, price, mode, testing)
        record.final, record.final_rc, record.bill = final, rc, bill
        plan = self.plans.get(body["customer_no"])
        record.pending_left = plan.pending_resends if plan else None
        if first != GAGAL:
            self.deposit -= price
        if first == SUKSES:
            record.sn = self._sn(sku, record)
        return 200, self._answer(record)

    def _plan(self, customer_no: str, testing: bool, kind: str) -> tuple[str, str, str]:
        if testing and kind == "prepaid" and customer_no in TEST_CASES:
            first, final, rc = TEST_CASES[customer_no]
            return first, final or first, rc or "02"
        plan = self.plans.get(customer_no, Plan())
        return plan.first, plan.final if plan.first == PENDING else plan.first, plan.rc

    def _record(self, kind, body, sku, status, rc, price, mode, testing) -> Record:
        record = Record(
            kind=kind,
            ref_id=body["ref_id"],
            sku=sku.code,
            customer_no=body["customer_no"],
            status=status,
            rc={SUKSES: "00", PENDING: "03"}.get(status, rc),
            price=price,
            mode=mode,
            testing=testing,
        )
        self.records[(kind, record.ref_id)] = record
        return record

    def _inquiry(self, body: dict, sku: Sku, mode: str, testing: bool) -> dict:
        plan = self.plans.get(body["customer_no"])
        if plan is not None and plan.first == GAGAL and plan.rc in ("54", "60"):
            record = self._record(
                "inq-pasca", body, sku, GAGAL, plan.rc, 0, mode, testing
            )
            return self._answer(record)
        seed = int(hashlib.sha256(body["customer_no"].encode()).hexdigest()[:8], 16)
        nilai = (50 + seed % 400) * 1000
        denda = 5000 if seed % 3 == 0 else 0
        record = self._record(
            "inq-pasca",
            body,
            sku,
            SUKSES,
            "00",
            nilai + denda + sku.admin - sku.commission,
            mode,
            testing,
        )
        record.bill = {
            "customer_name": f"PELANGGAN {body['customer_no'][-4:]}",
            "admin": sku.admin,
            "selling_price": nilai + denda + sku.admin,
            "desc": {
                "tarif": "R1",
                "daya": 1300,
                "lembar_tagihan": 1,
                "detail": [
                    {
                        "periode": "202605",
                        "nilai_tagihan": str(nilai),
                        "admin": str(sku.admin),
                        "denda": str(denda),
                    }
                ],
            },
        }
        return self._answer(record)

    def _sn(self, sku: Sku, record: Record) -> str:
        digits = (
            f"{int(hashlib.sha256(record.ref_id.encode()).hexdigest()[:16], 16):020d}"[
                :20
            ]
        )
        if sku.category == "PLN" and not sku.postpaid:
            token = "-".join(digits[i : i + 4] for i in range(0, 20, 4))
            return f"{token}/PELANGGAN UJI/R1/900/{sku.price / 1444.7:.1f}"
        return digits

    def _advance(self, record: Record) -> None:
        """A status check of a pending record: still pending, or final once its number of
        pending answers is used up."""
        if record.status != PENDING or record.pending_left is None:
            return
        if record.pending_left > 0:
            record.pending_left -= 1
            return
        self._settle(record)

    def _settle(self, record: Record) -> None:
        record.status = record.final
        if record.final == SUKSES:
            record.rc = "00"
            record.sn = self._sn(self.skus[record.sku], record)
        else:
            record.rc = record.final_rc
            self.deposit += record.price

    def _answer(self, record: Record, *, rc: str = "") -> dict:
        if rc:
            return {**self._error(rc), "ref_id": record.ref_id}
        data = {
            "ref_id": record.ref_id,
            "customer_no": record.customer_no,
            "buyer_sku_code": record.sku,
            "message": MESSAGES.get(record.rc, "Transaksi Gagal"),
            "status": record.status,
            "rc": record.rc,
            "sn": record.sn,
            "buyer_last_saldo": self.deposit,
            "price": record.price,
            "tele": "@penjualuji",
            "wa": "081234512345",
        }
        if record.kind != "prepaid":
            data.update(record.bill)
        return data

    # --- what the tests drive ----------------------------------------------------------------

    def record(self, ref_id: str, kind: str = "prepaid") -> Record:
        return self.records[(kind, ref_id)]

    def finish(self, ref_id: str, *, kind: str = "prepaid", send: bool = True):
        """Make a pending transaction final (its plan's final status) and, when ``send``,
        deliver the "update" webhook; the webhook's HTTP status (None when not sent)."""
        with self._lock:
            record = self.records[(kind, ref_id)]
            if record.status == PENDING:
                self._settle(record)
        return self.send_webhook(ref_id, kind=kind) if send else None

    def webhook_body(self, ref_id: str, kind: str = "prepaid") -> bytes:
        with self._lock:
            record = self.records[(kind, ref_id)]
            return json.dumps(
                {"data": {"trx_id": record.trx_id, **self._answer(record)}}
            ).encode()

    def send_webhook(
        self,
        ref_id: str,
        *,
        kind: str = "prepaid",
        event: str = "update",
        secret: str | None = None,
        signature: str | None = None,
        body: bytes | None = None,
    ) -> int:
        """POST the record's webhook to ``callback_url``, signed as documented (or with
        another ``secret`` / a given ``signature``); our HTTP status."""
        body = self.webhook_body(ref_id, kind) if body is None else body
        if signature is None:
            key = (self.webhook_secret if secret is None else secret).encode()
            signature = "sha1=" + hmac.new(key, body, hashlib.sha1).hexdigest()
        agent = (
            "DigiFlazz-Pasca-Hookshot/2.0"
            if kind != "prepaid"
            else "DigiFlazz-Hookshot/2.0"
        )
        headers = {
            "Content-Type": "application/json",
            "User-Agent": agent,
            "X-Digiflazz-Event": event,
            "X-Digiflazz-Delivery": str(uuid.uuid4()),
        }
        if signature:
            headers["X-Hub-Signature"] = signature
        request = urllib.request.Request(  # noqa: S310 - a local http URL of the tests
            self.callback_url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
