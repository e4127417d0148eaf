"""The network simulator: the H2H port (the simulated provider) and the control port (the
switches and the counts, always up, so that a test can take the H2H port down and up)."""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import json
import os
import time
from collections import Counter, deque
from typing import Any

from billers.netsim import protocol
from billers.netsim.book import Book, Taken, answer
from billers.netsim.config import (
    Config,
    ConfigError,
    fault_of,
    latency_seconds,
    rng_for,
)
from billers.netsim.http import (
    ABANDONED,
    HEAD_LIMIT,
    Request,
    Response,
    json_response,
    post,
    serve_connection,
)

KINDS = {path: kind for kind, path in protocol.PATHS.items()}
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    b"<h1>Bad Gateway</h1><p>The upstream server is not responding.</p></body></html>"
)
GARBAGE = b'{"status": "succ\x00\xff\xfe<<'
CALLBACK_ATTEMPTS = 3
CALLBACK_TIMEOUT = 5.0
REF_MAX = 40


class BindError(OSError):
    pass


def _rejected(reason: str, status: int = 200, *, close: bool = False) -> Response:
    return json_response(
        {"status": protocol.REJECTED, "reason": reason, "rc": "", "data": {}},
        status,
        close=close,
    )


def _text(payload: dict, name: str, *, required: bool = True) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str) or len(value) > REF_MAX or (required and not value):
        raise ValueError(name)
    return value


class Netsim:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        control_port: int,
        config: Config,
        keys: list[str],
        book: Book,
        balance: int,
    ):
        self.host = host
        self.port = port
        self.control_port = control_port
        self.startup = config
        self.config = config
        self.keys = keys
        self.book = book
        self.balance = balance
        self.counts: Counter = Counter()
        self.inflight: Counter = Counter()
        self.seen: Counter = Counter()
        self.outbox: deque = deque(maxlen=1000)
        self.connections: set = set()
        self.tasks: set = set()
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.h2h_server: asyncio.Server | None = None
        self.control_server: asyncio.Server | None = None
        self.stopped = asyncio.Event()

    # --- the two ports ---------------------------------------------------------------------

    async def start(self) -> None:
        self.control_server = await self._bind(
            self._control_connection, self.control_port
        )
        if not self.config.down:
            await self._listen()
        for taken in self.book.taken.values():
            self._schedule(taken)

    async def _bind(self, callback, port: int) -> asyncio.Server:
        try:
            return await asyncio.start_server(
                callback, self.host, port, limit=HEAD_LIMIT, backlog=1024
            )
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BindError(f"port {port} is in use") from None
            raise

    async def _listen(self) -> None:
        if self.h2h_server is None:
            self.h2h_server = await self._bind(self._h2h_connection, self.port)

    def _unlisten(self) -> None:
        # Closing the listening socket refuses new connections; those already open stay
        # and are answered 503 (``_h2h``).
        if self.h2h_server is not None:
            self.h2h_server.close()
            self.h2h_server = None

    async def stop(self) -> None:
        self._unlisten()
        if self.control_server is not None:
            self.control_server.close()
        for timer in self.timers.values():
            timer.cancel()
        for writer in list(self.connections):
            writer.transport.abort()
        self.book.close()

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- H2H -----------------------------------------------------------------------------

    async def _h2h_connection(self, reader, writer) -> None:
        self.connections.add(writer)
        self.counts["connections"] += 1
        try:
            await serve_connection(reader, writer, self._h2h)
        finally:
            self.connections.discard(writer)

    async def _h2h(self, request: Request, reader, writer) -> Response | None:
        kind = KINDS.get(request.path)
        self.counts[f"requests.{kind or 'other'}"] += 1
        if self.config.down:
            self.counts["answers.down"] += 1
            return _rejected("down", 503, close=True)
        if kind is None:
            return json_response({"error": "not found"}, 404)
        if request.method != "POST":
            return json_response({"error": "use POST"}, 405)
        key = protocol.signer(self.keys, request.header, request.body)
        if key is None:
            self.counts["answers.unsigned"] += 1
            return _rejected("signature", 401)
        try:
            payload = json.loads(request.body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return _rejected("bad_request", 400)
        self.inflight[kind] += 1
        try:
            return await getattr(self, f"_{kind}")(payload, key, reader, writer)
        except ValueError as exc:
            return _rejected(f"bad_request: {exc}", 400)
        finally:
            self.inflight[kind] -= 1

    def _draws(self, kind: str, ref: str) -> tuple[str, float]:
        """This request's fault and latency."""
        seen = self.seen[(kind, ref)]
        self.seen[(kind, ref)] = seen + 1
        rng = rng_for(self.config.seed, kind, ref, seen)
        return fault_of(self.config, rng, kind), latency_seconds(self.config, rng)

    def _refusal(self, product: str) -> Response | None:
        if self.config.maintenance:
            self.counts["answers.maintenance"] += 1
            return _rejected("maintenance")
        if product and product in self.config.closed_products:
            self.counts["answers.product_closed"] += 1
            return _rejected("product_closed")
        return None

    async def _fault(self, fault: str, reader, writer) -> Response | None:
        self.counts[f"answers.{fault}"] += 1
        if fault == "http503":
            return _rejected("unavailable", 503)
        if fault == "reset":
            writer.transport.abort()
            return ABANDONED
        if fault == "http500":
            return Response(500, b"Internal Server Error", "text/plain")
        if fault == "garbage":
            return Response(200, GARBAGE, "application/json")
        if fault == "html":
            return Response(200, HTML_PAGE, "text/html")
        return await self._hold(reader, writer)

    async def _hold(self, reader, writer) -> Response | None:
        """Keep the request unanswered until the client gives up (or ``hold_seconds``)."""
        self.counts["held"] += 1

        async def until_closed():
            while await reader.read(65536):
                pass

        try:
            await asyncio.wait_for(until_closed(), self.config.hold_seconds)
        except (TimeoutError, ConnectionError):
            pass
        writer.transport.abort()
        return ABANDONED

    def _answer(self, value: dict) -> Response:
        self.counts[f"answers.{value['status']}"] += 1
        return json_response(value)

    async def _inquiry(self, payload, key, reader, writer):
        ref = _text(payload, "ref")
        product = _text(payload, "product")
        customer = _text(payload, "customer")
        periode = payload.get("periode")
        if periode is not None and (
            isinstance(periode, bool) or not isinstance(periode, int) or periode < 1
        ):
            raise ValueError("periode")
        refusal = self._refusal(product)
        if refusal is not None:
            return refusal
        fault, delay = self._draws("inquiry", ref)
        await asyncio.sleep(delay)
        if fault:
            return await self._fault(fault, reader, writer)
        return self._answer(
            self.book.inquiry(product=product, customer=customer, periode=periode)
        )

    async def _pay(self, payload, key, reader, writer):
        ref = _text(payload, "ref")
        product = _text(payload, "product")
        customer = _text(payload, "customer")
        amount = payload.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError("amount")
        refusal = self._refusal(product)
        if refusal is not None:
            return refusal
        fault, delay = self._draws("pay", ref)
        if fault in ("http503", "reset"):  # not taken
            await asyncio.sleep(delay)
            return await self._fault(fault, reader, writer)
        taken = self.book.taken.get(ref)
        if taken is None:
            if ref in self.book.void:
                await asyncio.sleep(delay)
                self.counts["answers.void"] += 1
                return json_response(
                    answer(protocol.FAILED, "17", message="Referensi sudah dibatalkan")
                )
            taken = self.book.take(
                ref=ref,
                product=product,
                customer=customer,
                amount=amount,
                key=key,
                pending_seconds=self.config.pending_seconds,
                now=time.time(),
            )
            self._schedule(taken)
        elif (taken.product, taken.customer, taken.amount) != (
            product,
            customer,
            amount,
        ):
            return _rejected("ref_conflict")
        else:
            # The same payment sent again: its answer, never a second payment.
            self.counts["resent"] += 1
        await asyncio.sleep(delay)
        if fault:
            return await self._fault(fault, reader, writer)
        now = time.time()
        if taken.hold and now < taken.final_at:
            return await self._hold(reader, writer)
        return self._answer(taken.answer(now))

    async def _status(self, payload, key, reader, writer):
        ref = _text(payload, "ref")
        refusal = self._refusal("")
        if refusal is not None:
            return refusal
        fault, delay = self._draws("status", ref)
        await asyncio.sleep(delay)
        if fault:
            return await self._fault(fault, reader, writer)
        taken = self.book.taken.get(ref)
        if taken is not None:
            return self._answer(taken.answer(time.time()))
        if self.config.void_unknown:
            self.book.void_ref(ref)
        value = answer(protocol.NOT_FOUND, "19", message="Transaksi tidak ditemukan")
        value["void"] = ref in self.book.void
        return self._answer(value)

    async def _balance(self, payload, key, reader, writer):
        refusal = self._refusal("")
        if refusal is not None:
            return refusal
        charged = self.book.summary(time.time())["charged"]
        return self._answer(
            answer(protocol.SUCCESS, "00", data={"balance": self.balance - charged})
        )

    async def _price_list(self, payload, key, reader, writer):
        refusal = self._refusal("")
        if refusal is not None:
            return refusal
        closed = set(self.config.closed_products)
        rows = [
            {
                "code": item.code,
                "name": item.name,
                "price": item.price,
                "available": item.code not in closed,
            }
            for item in self.book.catalogue.values()
        ]
        return self._answer(answer(protocol.SUCCESS, "00", data={"products": rows}))

    # --- callbacks -------------------------------------------------------------------------

    def _schedule(self, taken: Taken) -> None:
        if not taken.delayed or taken.notified or taken.ref in self.timers:
            return
        delay = max(0.0, taken.final_at - time.time())
        self.timers[taken.ref] = asyncio.get_running_loop().call_later(
            delay, lambda: self._spawn(self._notify(taken))
        )

    async def _notify(self, taken: Taken) -> None:
        """The final status of a payment answered pending: into the outbox, and POSTed to
        ``callback_url`` when there is one (up to three attempts)."""
        self.timers.pop(taken.ref, None)
        if taken.notified:
            return
        body = json.dumps({"ref": taken.ref, **taken.final}).encode()
        key = self.keys[taken.key] if taken.key < len(self.keys) else self.keys[0]
        headers = protocol.signed_headers(key, body)
        url = self.config.callback_url
        entry: dict[str, Any] = {
            "ref": taken.ref,
            "url": url,
            "headers": headers,
            "body": body.decode(),
            "delivered": False,
            "http_status": None,
            "attempts": 0,
        }
        self.outbox.append(entry)
        self.book.notified(taken)
        self.counts["callbacks"] += 1
        if not url:
            return
        for attempt in range(CALLBACK_ATTEMPTS):
            entry["attempts"] += 1
            try:
                status = await post(url, body, headers, timeout=CALLBACK_TIMEOUT)
            except (OSError, TimeoutError):
                status = None
            entry["http_status"] = status
            if status is not None and 200 <= status < 300:
                entry["delivered"] = True
                self.counts["callbacks.delivered"] += 1
                return
            await asyncio.sleep(1 + attempt)
        self.counts["callbacks.failed"] += 1

    # --- control -------------------------------------------------------------------------

    async def _control_connection(self, reader, writer) -> None:
        await serve_connection(reader, writer, self._control)

    async def _control(self, request: Request, reader, writer) -> Response:
        path = request.path.split("?", 1)[0].rstrip("/")
        get = request.method == "GET"
        if path == "/control" and get:
            return json_response(self.config.as_dict())
        if path == "/control" and request.method == "POST":
            try:
                changes = json.loads(request.body or b"{}")
                await self._configure(self.config.updated(changes))
            except (ValueError, ConfigError) as exc:
                return json_response({"error": str(exc)}, 400)
            return json_response(self.config.as_dict())
        if path == "/control/stats" and get:
            return json_response(self.stats())
        if path == "/control/reset" and request.method == "POST":
            await self._configure(self.startup)
            self.counts.clear()
            self.seen.clear()
            self.outbox.clear()
            for timer in self.timers.values():
                timer.cancel()
            self.timers.clear()
            self.book.forget()
            return json_response(self.stats())
        if path == "/control/callbacks" and get:
            return json_response(list(self.outbox))
        if path.startswith("/control/refs/") and get:
            taken = self.book.taken.get(path.rsplit("/", 1)[1])
            if taken is None:
                return json_response({"error": "not taken"}, 404)
            return json_response(dataclasses.asdict(taken))
        return json_response({"error": "not found"}, 404)

    async def _configure(self, config: Config) -> None:
        if config.down and not self.config.down:
            self._unlisten()
        elif not config.down:
            await self._listen()
        self.config = config

    def stats(self) -> dict:
        return {
            "pid": os.getpid(),
            "up": self.h2h_server is not None and not self.config.down,
            "connections": len(self.connections),
            "counts": dict(self.counts),
            "inflight": {k: v for k, v in self.inflight.items() if v},
            "book": self.book.summary(time.time()),
            "callbacks_waiting": len(self.timers),
        }
