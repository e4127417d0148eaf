"""The generated blocks of the documentation pages (``{{ kind:arg }}`` in the Markdown).

Each builder returns HTML from a template (autoescaped) or from Pygments (escaped); values from
the database (the partner's credential, the catalogue) never reach the page unescaped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from billers import simulator
from docs_content import samples, selectors
from docs_content.rendering import UnknownBlock
from docs_content.selectors import PASSWORD_PLACEHOLDER, DevValues
from docs_content.spec import (
    CALLBACK,
    CALLBACK_FIELDS,
    EXAMPLES_BY_KEY,
    OPERATIONS_BY_KEY,
    REVISIONS,
    Example,
    Field,
)
from docs_content.spec.fields import EXAMPLE_MERCHANT_ID
from docs_content.spec.text import translated
from openapi import rc
from openapi.development_numbers import development_numbers
from products.models import Category

FORMATTER = HtmlFormatter(cssclass="codehilite")


def code(text: str, lexer: str) -> SafeString:
    """``text`` highlighted by Pygments (which escapes it)."""
    return mark_safe(highlight(text, get_lexer_by_name(lexer), FORMATTER))  # noqa: S308


def json_code(value: dict) -> SafeString:
    return code(json.dumps(value, indent=2, ensure_ascii=False), "json")


@dataclass
class BlockContext:
    values: DevValues
    base_url: str
    selected_category: Category | None = None
    examples_shown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FieldRow:
    name: str
    field: Field

    @property
    def description(self) -> str:
        return translated(self.field.description)


def field_rows(fields: tuple[Field, ...], prefix: str = "") -> list[FieldRow]:
    """Nested fields flattened for one table: ``data.nama``, ``data.rincianTagihan[].bulan``."""
    rows = []
    for item in fields:
        name = prefix + item.name
        rows.append(FieldRow(name, item))
        if item.fields:
            child_prefix = f"{name}[]." if item.type == "array" else f"{name}."
            rows.extend(field_rows(item.fields, child_prefix))
    return rows


def personalised(value: dict, values: DevValues) -> dict:
    """An example with the partner's own merchantID and Sign On values (once issued)."""
    if not values.issued:
        return value
    result = dict(value)
    if result.get("merchantID") == EXAMPLE_MERCHANT_ID:
        result["merchantID"] = values.merchant_id
    if "mitra" in result:
        result.update(values.sign_on_body())
    return result


def _fields(arg: str, ctx: BlockContext) -> str:
    key, _dot, part = arg.partition(".")
    if key == "callback":
        fields, response = CALLBACK_FIELDS, False
    else:
        operation = OPERATIONS_BY_KEY.get(key)
        if operation is None:
            raise UnknownBlock(arg)
        try:
            fields = operation.fields(part)
        except (KeyError, StopIteration):
            raise UnknownBlock(arg) from None
        response = part.startswith("response")
    return render_to_string(
        "docs_content/blocks/fields.html",
        {"rows": field_rows(fields), "response": response, "block": arg},
    )


def _endpoint(arg: str, ctx: BlockContext) -> str:
    operation = OPERATIONS_BY_KEY.get(arg)
    if operation is None:
        raise UnknownBlock(arg)
    return render_to_string(
        "docs_content/blocks/endpoint.html",
        {
            "operation": operation,
            "description": translated(operation.description),
            "url": ctx.base_url + operation.path,
        },
    )


def _example(arg: str, ctx: BlockContext) -> str:
    example: Example | None = EXAMPLES_BY_KEY.get(arg)
    if example is None:
        raise UnknownBlock(arg)
    ctx.examples_shown.append(example.key)
    operation = OPERATIONS_BY_KEY[example.operation]
    return render_to_string(
        "docs_content/blocks/example.html",
        {
            "example": example,
            "note": translated(example.note) if example.note else "",
            "operation": operation,
            "url": ctx.base_url + operation.path,
            "request_code": json_code(personalised(example.request, ctx.values)),
            "response_code": json_code(personalised(example.response, ctx.values)),
        },
    )


def _callback(arg: str, ctx: BlockContext) -> str:
    if arg != "example":
        raise UnknownBlock(arg)
    payload = personalised(CALLBACK, ctx.values)
    return render_to_string(
        "docs_content/blocks/callback.html",
        {"payload_code": json_code(payload)},
    )


def _samples(arg: str, ctx: BlockContext) -> str:
    if arg == "callback":
        items = samples.callback_samples()
    elif arg in samples.SAMPLE_SETS:
        items = samples.SAMPLE_SETS[arg](ctx.values, ctx.base_url)
    else:
        raise UnknownBlock(arg)
    return render_to_string(
        "docs_content/blocks/samples.html",
        {
            "name": arg,
            "samples": [(s, code(s.code, s.lexer)) for s in items],
            "values": ctx.values,
            "placeholder": PASSWORD_PLACEHOLDER,
            "show_values": arg != "callback",
        },
    )


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _digest(arg: str, ctx: BlockContext) -> str:
    """A worked example of the Authorization header, computed, not typed."""
    if arg != "worked":
        raise UnknownBlock(arg)
    realm = settings.DIGEST_REALM
    uri = OPERATIONS_BY_KEY["sign_on"].path
    nonce, nc, cnonce, qop = (
        "6b15bd6d1fe5d777c04f5f7ce7f89dc7",
        "00000001",
        "0a4f113b",
        "auth",
    )
    ha1 = _md5(f"{ctx.values.username}:{realm}:{PASSWORD_PLACEHOLDER}")
    ha2 = _md5(f"POST:{uri}")
    response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
    header = (
        f'Authorization: Digest username="{ctx.values.username}", realm="{realm}", '
        f'nonce="{nonce}", uri="{uri}", qop={qop}, nc={nc}, cnonce="{cnonce}", '
        f'response="{response}", opaque="…", algorithm=MD5'
    )
    return render_to_string(
        "docs_content/blocks/digest.html",
        {
            "username": ctx.values.username,
            "password": PASSWORD_PLACEHOLDER,
            "realm": realm,
            "uri": uri,
            "nonce": nonce,
            "nc": nc,
            "cnonce": cnonce,
            "qop": qop,
            "ha1": ha1,
            "ha2": ha2,
            "response": response,
            "header_code": code(header, "text"),
        },
    )


def _outcome(row: dict) -> str:
    """The simulator's outcome of a development number, in the active language."""
    if row["months"] > 1:
        return gettext(simulator.BPJS_MONTHS_OUTCOME) % {"months": row["months"]}
    return gettext(row["outcome"])


def _table(arg: str, ctx: BlockContext) -> str:
    if arg == "revisions":
        revisions = [
            (revision, [translated(change) for change in revision.changes])
            for revision in REVISIONS
        ]
        return render_to_string(
            "docs_content/blocks/revisions.html", {"revisions": revisions}
        )
    if arg == "rc":
        rows = [{**row, "meaning": gettext(row["description"])} for row in rc.table()]
        return render_to_string("docs_content/blocks/rc.html", {"rows": rows})
    if arg == "dev_numbers":
        groups: dict[str, list[dict]] = {}
        for row in development_numbers():
            groups.setdefault(row["category"], []).append(
                {**row, "outcome": _outcome(row)}
            )
        return render_to_string(
            "docs_content/blocks/dev_numbers.html", {"groups": groups.items()}
        )
    if arg == "pulsa_prices":
        return render_to_string(
            "docs_content/blocks/pulsa_prices.html",
            {"operators": selectors.pulsa_prices()},
        )
    if arg == "product_groups":
        return render_to_string(
            "docs_content/blocks/product_groups.html",
            {"groups": selectors.product_groups()},
        )
    raise UnknownBlock(arg)


def _catalogue(arg: str, ctx: BlockContext) -> str:
    if arg != "browser":
        raise UnknownBlock(arg)
    categories = selectors.product_categories()
    selected = ctx.selected_category or (categories[0] if categories else None)
    return render_to_string(
        "docs_content/blocks/catalogue.html",
        {
            "categories": categories,
            "selected": selected,
            "products": selectors.category_products(selected) if selected else [],
        },
    )


def _downloads(arg: str, ctx: BlockContext) -> str:
    if arg != "links":
        raise UnknownBlock(arg)
    return render_to_string(
        "docs_content/blocks/downloads.html",
        {
            "openapi_json": reverse("docs_content:openapi_json"),
            "openapi_yaml": reverse("docs_content:openapi_yaml"),
            "postman": reverse("docs_content:postman"),
        },
    )


BUILDERS: dict[str, Callable[[str, BlockContext], str]] = {
    "fields": _fields,
    "endpoint": _endpoint,
    "example": _example,
    "callback": _callback,
    "samples": _samples,
    "digest": _digest,
    "table": _table,
    "catalogue": _catalogue,
    "downloads": _downloads,
}


def builder(ctx: BlockContext) -> Callable[[str, str], str]:
    def build(kind: str, arg: str) -> str:
        if kind not in BUILDERS:
            raise UnknownBlock(f"{kind}:{arg}")
        return BUILDERS[kind](arg, ctx)

    return build
