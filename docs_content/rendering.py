"""Markdown pages with generated blocks.

A page is Markdown from ``docs_content/pages`` (trusted repository content), rendered with
Python-Markdown (fenced_code, tables, toc, codehilite). A line of its own such as
``{{ fields:inquiry.request }}`` marks a block generated from the spec or the live data; the
block's HTML comes from a Django template (autoescaped) or from Pygments (escaped), never from
raw database text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
from django.utils.safestring import SafeString, mark_safe

from docs_content.sections import Section

MARKER = re.compile(
    r"^\{\{\s*(?P<kind>[a-z_]+):(?P<arg>[A-Za-z0-9_.\-]+)\s*\}\}[ \t]*$", re.MULTILINE
)
TOKEN = re.compile(r"<p>DOCSBLOCK(\d+)END</p>")
EXTENSIONS = ["fenced_code", "tables", "toc", "codehilite", "attr_list"]
EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False},
    "toc": {"toc_depth": "2-3"},
}


class UnknownBlock(LookupError):
    """A page names a block that does not exist (a typo in the Markdown)."""


@dataclass(frozen=True)
class Compiled:
    html: str
    toc: tuple[tuple[str, str], ...]  # (anchor, title) of the page's h2 headings
    blocks: tuple[tuple[str, str], ...]  # (kind, arg) per token


def _compile(text: str) -> Compiled:
    blocks: list[tuple[str, str]] = []

    def token(match: re.Match) -> str:
        blocks.append((match["kind"], match["arg"]))
        return f"\n\nDOCSBLOCK{len(blocks) - 1}END\n\n"

    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    html = md.convert(MARKER.sub(token, text))
    toc = tuple((item["id"], item["name"]) for item in md.toc_tokens)
    return Compiled(html=html, toc=toc, blocks=tuple(blocks))


@lru_cache(maxsize=64)
def _compiled(path: str, mtime_ns: int) -> Compiled:
    with open(path, encoding="utf-8") as handle:
        return _compile(handle.read())


def compiled(section: Section) -> Compiled:
    """The page's Markdown as HTML with block tokens, cached until the file changes."""
    path = section.path
    return _compiled(str(path), path.stat().st_mtime_ns)


def render(
    section: Section, build_block
) -> tuple[SafeString, tuple[tuple[str, str], ...]]:
    """The page's HTML with every block built by ``build_block(kind, arg)``, and its
    table of contents."""
    page = compiled(section)

    def fill(match: re.Match) -> str:
        kind, arg = page.blocks[int(match.group(1))]
        return build_block(kind, arg)

    return mark_safe(TOKEN.sub(fill, page.html)), page.toc  # noqa: S308 - see module docstring
