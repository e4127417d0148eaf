"""An SMTP server in the test process (aiosmtpd) that keeps every message the deployment's
Celery worker sends, and the readers the journey needs: a button's link, the credentials."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from html.parser import HTMLParser

from aiosmtpd.controller import Controller

from tests_journey.deployment import free_port


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str


class Inbox:
    """aiosmtpd handler keeping every message, and waiting for the one a step expects."""

    def __init__(self):
        self._messages: list[Mail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        mail = Mail(
            to=str(message["To"]),
            # A long non-ASCII subject arrives folded; unfolded it starts with a space.
            subject=" ".join(str(message["Subject"]).split()),
            text=text.get_content() if text is not None else "",
            html=html.get_content() if html is not None else "",
        )
        with self._lock:
            self._messages.append(mail)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[Mail]:
        with self._lock:
            return list(self._messages)

    def wait_for(self, *, to: str, subject: str, timeout: float = 90.0) -> Mail:
        """The first message to ``to`` whose subject starts with ``subject``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mail in self.messages:
                if mail.to == to and mail.subject.startswith(subject):
                    return mail
            time.sleep(0.2)
        seen = "\n".join(f"  {m.to}: {m.subject}" for m in self.messages) or "  (none)"
        raise AssertionError(
            f"no email {subject!r} to {to} reached the SMTP server in {timeout:.0f} s; "
            f"received:\n{seen}"
        )


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.anchors.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def button_link(mail: Mail, label: str) -> str:
    """The address behind the HTML button ``label``; the text part must carry it too."""
    parser = _Anchors()
    parser.feed(mail.html)
    links = [href for href, caption in parser.anchors if caption == label]
    assert links, f"email {mail.subject!r} has no {label!r} button: {parser.anchors}"
    assert links[0] in mail.text, f"the text part of {mail.subject!r} lacks {links[0]}"
    return links[0]


@dataclass(frozen=True)
class TransactionCredential:
    environment: str
    url: str
    realm: str
    username: str
    password: str
    mitra: str
    account_id: str
    merchant_id: str
    merchant_name: str
    counter_id: str

    def sign_on_body(self) -> dict:
        return {
            "mitra": self.mitra,
            "accountID": self.account_id,
            "merchantID": self.merchant_id,
            "merchantName": self.merchant_name,
            "counterID": self.counter_id,
        }


@dataclass(frozen=True)
class Credentials:
    webreport_url: str
    webreport_username: str
    webreport_password: str
    development: TransactionCredential
    production: TransactionCredential


_SECTION = re.compile(r"^(WEBREPORT|TRANSAKSI) \((PRODUCTION|DEVELOPMENT)\)\s*$")
_FIELD = re.compile(r"^\s+([A-Za-z][A-Za-z ]*?)\s*:\s(.*)$")


def read_credentials(mail: Mail) -> Credentials:
    """The three credential sets of the "Credential Production dan Development" email, read
    from its text part as a partner would copy them (Gambar 12)."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in mail.text.splitlines():
        heading = _SECTION.match(line)
        if heading:
            current = f"{heading[1]} {heading[2]}"
            sections[current] = {}
            continue
        field = _FIELD.match(line) if current else None
        if field:
            sections[current][field[1].strip()] = field[2].strip()
        elif not line.strip():
            current = None
    expected = {"WEBREPORT PRODUCTION", "TRANSAKSI PRODUCTION", "TRANSAKSI DEVELOPMENT"}
    assert set(sections) == expected, f"credential sections found: {sorted(sections)}"

    def transaction(environment: str) -> TransactionCredential:
        values = sections[f"TRANSAKSI {environment.upper()}"]
        return TransactionCredential(
            environment=environment,
            url=values["URL API"],
            realm=values["Realm"],
            username=values["Username"],
            password=values["Password"],
            mitra=values["mitra"],
            account_id=values["accountID"],
            merchant_id=values["merchantID"],
            merchant_name=values["merchantName"],
            counter_id=values["counterID"],
        )

    report = sections["WEBREPORT PRODUCTION"]
    return Credentials(
        webreport_url=report["URL"],
        webreport_username=report["Username"],
        webreport_password=report["Password"],
        development=transaction("development"),
        production=transaction("production"),
    )
