"""A minimal HTTP/1.1 server loop and client on asyncio streams: keep-alive, Content-Length
bodies, nothing else (enough for the H2H protocol and the control endpoints). A waiting
request costs a coroutine, not a thread."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

HEAD_LIMIT = 16 * 1024
BODY_LIMIT = 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    close: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def json_response(value, status: int = 200, *, close: bool = False) -> Response:
    return Response(status, json.dumps(value).encode(), close=close)


# What a handler returns instead of a Response when the connection is already dealt with
# (reset, or held and closed): the loop ends without writing.
ABANDONED = None
Handler = Callable[[Request, asyncio.StreamReader, asyncio.StreamWriter], Awaitable]


class BadRequest(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request of the connection; None when the client closed it between two."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise BadRequest(400, "incomplete request") from None
        return None
    except asyncio.LimitOverrunError:
        raise BadRequest(431, "request head too large") from None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(400, "bad request line")
    method, path, version = parts
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest(400, "bad header line")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise BadRequest(411, "send a Content-Length")
    length_text = headers.get("content-length", "0")
    if not length_text.isdigit():
        raise BadRequest(400, "bad Content-Length")
    length = int(length_text)
    if length > BODY_LIMIT:
        raise BadRequest(413, "body too large")
    body = await reader.readexactly(length) if length else b""
    connection = headers.get("connection", "").lower()
    keep_alive = (
        connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    )
    return Request(method.upper(), path, headers, body, keep_alive)


def write_response(
    writer: asyncio.StreamWriter, response: Response, keep_alive: bool
) -> None:
    reason = HTTPStatus(response.status).phrase
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
        f"Connection: {'keep-alive' if keep_alive else 'close'}",
        *(f"{k}: {v}" for k, v in response.headers.items()),
        "",
        "",
    ]
    writer.write("\r\n".join(lines).encode("latin-1") + response.body)


async def serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler
) -> None:
    """Answer the connection's requests one after the other until either side closes."""
    try:
        while True:
            try:
                request = await read_request(reader)
            except BadRequest as exc:
                write_response(
                    writer,
                    json_response({"error": exc.text}, exc.status, close=True),
                    False,
                )
                await writer.drain()
                return
            if request is None:
                return
            response = await handler(request, reader, writer)
            if response is ABANDONED:
                return
            keep_alive = request.keep_alive and not response.close
            write_response(writer, response, keep_alive)
            await writer.drain()
            if not keep_alive:
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        if not writer.transport.is_closing():
            writer.close()


async def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float
) -> int:
    """POST ``body`` to an http:// ``url``; the answer's status (raises OSError or
    TimeoutError when there is none)."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    async def exchange() -> int:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            lines = [
                f"POST {target} HTTP/1.1",
                f"Host: {parts.netloc}",
                "Content-Type: application/json",
                f"Content-Length: {len(body)}",
                "Connection: close",
                *(f"{k}: {v}" for k, v in headers.items()),
                "",
                "",
            ]
            writer.write("\r\n".join(lines).encode("latin-1") + body)
            await writer.drain()
            status_line = await reader.readline()
            fields = status_line.decode("latin-1").split(" ")
            if len(fields) < 2 or not fields[1].isdigit():
                raise OSError("no HTTP answer")
            return int(fields[1])
        finally:
            writer.close()

    return await asyncio.wait_for(exchange(), timeout)
