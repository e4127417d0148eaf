"""What the simulated provider knows and remembers: its product list (our catalogue file),
the outcome of each customer number (``billers.simulator``, the same development numbers as
the in-process simulator) and every payment reference it took.

With a state file, each taken payment, voided reference and sent callback is appended to it
as one JSON line before the request goes on, so a simulator killed and started again with the
same file still knows them (a status after the restart answers what it would have answered).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from billers.netsim import protocol
from billers.simulator import SimulatorBackend

DATA = Path(__file__).resolve().parents[2] / "products" / "data"
PENDING_RC = "71"
# The first answer the in-process simulator gives the "biller timeout" numbers: over the
# network the simulator holds such a payment unanswered instead (the client times out).
TIMEOUT_RC = "39"


@dataclass(frozen=True)
class Category:
    name: str


@dataclass(frozen=True)
class Product:
    """What ``billers.simulator`` reads of a product."""

    code: str
    name: str
    category: Category
    is_prepaid: bool
    price: int


def catalogue_load(path: Path | None = None) -> dict[str, Product]:
    """Products by code from the catalogue CSV (prepaid price; postpaid: 0)."""
    path = path or DATA / "catalogue.csv"
    names = {}
    with (path.parent / "categories.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            names[row["slug"]] = row["nama"]
    products = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            prepaid = row["jenis"] == "prabayar"
            products[row["kode"]] = Product(
                code=row["kode"],
                name=row["nama"],
                category=Category(names.get(row["kategori"], row["kategori"])),
                is_prepaid=prepaid,
                price=int(row["harga"] or 0) if prepaid else int(row["admin"] or 0),
            )
    return products


@dataclass
class Taken:
    """A payment the simulator took."""

    ref: str
    product: str
    customer: str
    amount: int
    taken_at: float
    first: dict
    final: dict
    final_at: float
    provider_ref: str
    # Which of the simulator's keys signed it (its callback is signed with the same key).
    key: int = 0
    # Never answered (the client times out); its status says the rest.
    hold: bool = False
    notified: bool = False

    def answer(self, now: float) -> dict:
        return self.final if now >= self.final_at else self.first

    @property
    def delayed(self) -> bool:
        return self.final_at > self.taken_at


def answer(
    status: str, rc: str, *, data=None, provider_ref: str = "", message=""
) -> dict:
    return {
        "status": status,
        "rc": rc,
        "message": message,
        "data": data or {},
        "provider_ref": provider_ref,
    }


class Book:
    def __init__(self, *, seed: int, state: Path | None, catalogue: dict[str, Product]):
        self.seed = seed
        self.state = state
        self.catalogue = catalogue
        self.backend = SimulatorBackend()
        self.taken: dict[str, Taken] = {}
        self.void: set[str] = set()
        self._journal = None
        if state is not None:
            self._load()
            self._journal = state.open("a", encoding="utf-8", buffering=1)

    # --- the journal ---------------------------------------------------------------------

    def _load(self) -> None:
        if self.state is None or not self.state.exists():
            return
        with self.state.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:  # a line cut short by a kill
                    continue
                kind = record.get("kind")
                if kind == "take":
                    taken = Taken(**record["taken"])
                    self.taken[taken.ref] = taken
                elif kind == "void":
                    self.void.add(record["ref"])
                elif kind == "notified" and record["ref"] in self.taken:
                    self.taken[record["ref"]].notified = True

    def _write(self, record: dict) -> None:
        if self._journal is not None:
            self._journal.write(json.dumps(record, separators=(",", ":")) + "\n")

    def forget(self) -> None:
        """Forget every reference (and empty the state file)."""
        self.taken.clear()
        self.void.clear()
        if self._journal is not None and self.state is not None:
            self._journal.close()
            self._journal = self.state.open("w", encoding="utf-8", buffering=1)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    # --- answers -------------------------------------------------------------------------

    def product(self, code: str) -> Product:
        """A product of the list; any other code is served as a plain postpaid product."""
        return self.catalogue.get(code) or Product(
            code=code, name=code, category=Category(""), is_prepaid=False, price=0
        )

    def provider_ref(self, ref: str) -> str:
        digest = hashlib.sha256(f"{self.seed}|{ref}".encode()).hexdigest()
        return "NS" + digest[:16].upper()

    def inquiry(self, *, product: str, customer: str, periode: int | None) -> dict:
        found = self.backend.inquiry(
            product=self.product(product), customer_id=customer, periode=periode
        )
        if found.rc != "00":
            return answer(protocol.FAILED, found.rc, message="Inquiry gagal")
        return answer(protocol.SUCCESS, "00", data=found.data, message="Sukses")

    def take(
        self,
        *,
        ref: str,
        product: str,
        customer: str,
        amount: int,
        key: int,
        pending_seconds: float,
        now: float,
    ) -> Taken:
        """Take a payment: its first answer, and its final one (later when pending)."""
        item = self.product(product)
        provider_ref = self.provider_ref(ref)
        first = self.backend.pay(
            product=item, customer_id=customer, amount=amount, reference=ref
        )
        final = self.backend.final(product=item, customer_id=customer)
        final_answer = (
            answer(
                protocol.SUCCESS,
                "00",
                data=final.data,
                provider_ref=provider_ref,
                message="Sukses",
            )
            if final.rc == "00"
            else answer(
                protocol.FAILED,
                final.rc,
                provider_ref=provider_ref,
                message="Transaksi gagal",
            )
        )
        delayed = first.rc in (PENDING_RC, TIMEOUT_RC)
        if delayed:
            first_answer = answer(
                protocol.PENDING,
                PENDING_RC,
                provider_ref=provider_ref,
                message="Transaksi sedang diproses",
            )
        elif first.rc == "00":
            first_answer = answer(
                protocol.SUCCESS,
                "00",
                data=first.data,
                provider_ref=provider_ref,
                message="Sukses",
            )
        else:
            first_answer = answer(
                protocol.FAILED,
                first.rc,
                provider_ref=provider_ref,
                message="Transaksi gagal",
            )
        taken = Taken(
            ref=ref,
            product=product,
            customer=customer,
            amount=amount,
            taken_at=now,
            first=first_answer,
            final=final_answer if delayed else first_answer,
            final_at=now + pending_seconds if delayed else now,
            provider_ref=provider_ref,
            key=key,
            hold=first.rc == TIMEOUT_RC,
        )
        self.taken[ref] = taken
        self._write({"kind": "take", "taken": dataclasses.asdict(taken)})
        return taken

    def void_ref(self, ref: str) -> None:
        if ref not in self.void:
            self.void.add(ref)
            self._write({"kind": "void", "ref": ref})

    def notified(self, taken: Taken) -> None:
        taken.notified = True
        self._write({"kind": "notified", "ref": taken.ref})

    def summary(self, now: float) -> dict:
        counts = {protocol.SUCCESS: 0, protocol.PENDING: 0, protocol.FAILED: 0}
        charged = 0
        for taken in self.taken.values():
            status = taken.answer(now)["status"]
            counts[status] = counts.get(status, 0) + 1
            if status == protocol.SUCCESS:
                charged += taken.amount
        return {
            "taken": len(self.taken),
            "void": len(self.void),
            "charged": charged,
            **counts,
        }
