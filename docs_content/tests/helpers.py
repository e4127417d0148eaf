"""Reading the documentation pages as a partner would: the text of a block, as shown."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import requests
from requests.auth import HTTPDigestAuth

from docs_content.spec import OPERATIONS_BY_KEY
from docs_content.tests.factories import DEV_PASSWORD


class _Blocks(HTMLParser):
    """Collects the text inside every element carrying ``attribute``, by its value."""

    def __init__(self, attribute: str):
        super().__init__(convert_charrefs=True)
        self.attribute = attribute
        self.stack: list[tuple[str, str | None]] = []
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        value = None
        if self.attribute in attributes:
            value = attributes[self.attribute] or ""
        self.stack.append((tag, value))
        if value is not None:
            self.found.setdefault(value, [])

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _value = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _tag, value in self.stack:
            if value is not None:
                self.found[value].append(data)


def block_texts(html: str, attribute: str) -> dict[str, str]:
    """``{value: text}`` of the elements with ``attribute`` (the last one wins)."""
    parser = _Blocks(attribute)
    parser.feed(html)
    return {key: "".join(parts) for key, parts in parser.found.items()}


def sample_code(html: str, samples: str, language: str) -> str:
    """The code of one tab of a ``{{ samples:… }}`` block, as the page shows it."""
    block = re.search(
        rf'data-samples="{samples}".*?data-sample="{language}"[^>]*>(.*?)</div>\s*</div>',
        html,
        re.S,
    )
    assert block, f"no {language} sample in {samples}"
    pre = re.search(r"<pre>(.*?)</pre>", block.group(1), re.S)
    return unescape(re.sub(r"<[^>]+>", "", pre.group(1)))


def api_session(credential) -> requests.Session:
    session = requests.Session()
    session.auth = HTTPDigestAuth(credential.username, DEV_PASSWORD)
    return session


def sign_on(session: requests.Session, base_url: str, credential) -> str:
    answer = session.post(
        base_url + OPERATIONS_BY_KEY["sign_on"].path,
        json={
            "mitra": credential.mitra,
            "accountID": credential.account_id,
            "merchantID": credential.merchant_id,
            "merchantName": credential.merchant_name,
            "counterID": credential.counter_id,
        },
        timeout=30,
    ).json()
    assert answer["rc"] == "00", answer
    return answer["SessionID"]
