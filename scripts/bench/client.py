"""The load's HTTP client: raw HTTP/1.1 with keep-alive, client-side Digest and
cookies."""

import asyncio
import hashlib
import json
import secrets

from .config import PASSWORD, REALM


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class Connection:
    """One keep-alive connection with its own Digest nonce and nc counter, and its own
    cookies (what the server set is sent back, as a browser does)."""

    def __init__(self, port: int, username: str = ""):
        self.port = port
        self.username = username
        self.ha1 = md5(f"{username}:{REALM}:{PASSWORD}")
        self.reader = self.writer = None
        self.nonce = ""
        self.nc = 0
        self.signed = 0  # requests sent with an Authorization header: each is logged
        self.cookies: dict[str, str] = {}

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def _exchange(self, method: str, path: str, body: bytes, headers: dict):
        if self.writer is None:
            await self._connect()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append(
                "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            )
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines += [f"Content-Length: {len(body)}", "", ""]
        self.writer.write("\r\n".join(lines).encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        received = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name, value = name.strip().lower(), value.strip()
                received[name] = value
                if name == "set-cookie":
                    cookie, _sep, _attributes = value.partition(";")
                    key, _sep, cookie_value = cookie.partition("=")
                    self.cookies[key.strip()] = cookie_value.strip()
        if received.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                payload += chunk[:-2]
        else:
            payload = await self.reader.readexactly(
                int(received.get("content-length", "0"))
            )
        if received.get("connection", "").lower() == "close":
            self.close()
        return status, received, payload

    async def request(self, method: str, path: str, body: bytes = b"", headers=None):
        try:
            return await self._exchange(method, path, body, headers or {})
        except (ConnectionError, asyncio.IncompleteReadError):
            self.reader = self.writer = None  # the server closed it: once more, fresh
            return await self._exchange(method, path, body, headers or {})

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def challenge(self) -> None:
        status, headers, _body = await self.request("GET", "/auth/Sign-On")
        if status != 401:
            raise RuntimeError(f"expected a Digest challenge, got {status}")
        params = dict(
            part.strip().split("=", 1)
            for part in headers["www-authenticate"][7:].split(",")
        )
        self.nonce = params["nonce"].strip('"')
        self.nc = 0

    def authorization(self, path: str) -> str:
        self.nc += 1
        nc = f"{self.nc:08x}"
        cnonce = secrets.token_hex(8)
        ha2 = md5(f"POST:{path}")
        response = md5(f"{self.ha1}:{self.nonce}:{nc}:{cnonce}:auth:{ha2}")
        return (
            f'Digest username="{self.username}", realm="{REALM}", nonce="{self.nonce}", '
            f'uri="{path}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}", '
            f'response="{response}"'
        )

    async def post(self, path: str, body: dict) -> tuple[int, dict]:
        data = json.dumps(body).encode()
        for _attempt in range(2):
            if not self.nonce:
                await self.challenge()
            headers = {
                "Authorization": self.authorization(path),
                "Content-Type": "application/json",
            }
            self.signed += 1
            status, _headers, payload = await self.request("POST", path, data, headers)
            if status == 401:  # stale nonce: a fresh one, once
                self.nonce = ""
                continue
            return status, json.loads(payload)
        return status, json.loads(payload)
