"""What the account tests share: a valid registration, the links an email carries, a clock."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

REGISTRATION_PASSWORD = "kopi-tubruk-pagi-hari"

REGISTRATION = {
    "name": "Budi Santoso",
    "kind": "perusahaan",
    "company_name": "PT Maju Jaya",
    "phone": "0812-3456-7890",
    "email": "budi@majujaya.test",
    "password1": REGISTRATION_PASSWORD,
    "password2": REGISTRATION_PASSWORD,
}


class _Anchors(HTMLParser):
    """Collects (href, visible text) of every <a> of an HTML document."""

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


def html_anchors(html: str) -> list[tuple[str, str]]:
    parser = _Anchors()
    parser.feed(html)
    return parser.anchors


def button_link(*, text: str, html: str, label: str) -> str:
    """The path of the email's button ``label``, checked to be in the text part as well."""
    hrefs = [href for href, caption in html_anchors(html) if caption == label]
    assert hrefs, f"no {label!r} button in the HTML part"
    url = hrefs[0]
    assert url.startswith(settings.SITE_URL + "/")
    site_urls = re.findall(re.escape(settings.SITE_URL) + r"/\S+", text)
    assert url in site_urls, "the text part does not carry the button's link"
    return urlsplit(url).path


def email_button_link(message, label: str) -> str:
    """The path behind button ``label`` of a Django EmailMessage (both parts carry it)."""
    html = [
        content for content, mimetype in message.alternatives if mimetype == "text/html"
    ]
    assert len(html) == 1, "the email has no HTML part"
    return button_link(text=message.body, html=html[0], label=label)


class Clock:
    """A stand-in for ``django.utils.timezone.now`` that only moves when told to."""

    def __init__(self, now: datetime):
        self.now = now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@contextmanager
def frozen_clock():
    clock = Clock(timezone.now())
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock


def field_block(html: str, name: str) -> str:
    """The rendered block of form field ``name`` (crispy's ``div_id_<name>``)."""
    start = html.index(f'id="div_id_{name}"')
    ends = [
        i
        for i in (html.find('id="div_id_', start + 1), html.find("</form>", start))
        if i > 0
    ]
    return html[start : min(ends)]
