"""The building blocks of the API description: fields, operations and examples.

Everything the documentation shows about a call (its field tables, its examples, the OpenAPI
description and the Postman collection) is read from these objects, so that it is written once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

STRING = "string"
INTEGER = "integer"
OBJECT = "object"
ARRAY = "array"


@dataclass(frozen=True)
class Field:
    """One field of a request or response body.

    ``pattern`` is matched against the whole value. ``fields`` describes the members of an
    object, or of each element of an array of objects.
    """

    name: str
    type: str
    description: str
    required: bool = True
    example: object = None
    pattern: str | None = None
    enum: tuple[str, ...] = ()
    format: str | None = None
    fields: tuple[Field, ...] = ()

    def but(self, **changes) -> Field:
        return dataclasses.replace(self, **changes)

    def optional(self, description: str | None = None) -> Field:
        return self.but(required=False, description=description or self.description)

    def child(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"{self.name} has no field {name}")


@dataclass(frozen=True)
class Example:
    """A request a partner can send in Development and the answer it gets.

    ``truncated`` names arrays that the documentation shortens (a price list answers many
    records; the example shows the first few of them, in the same order). ``varies`` names
    dotted paths whose value depends on the partner's data (a deposit balance).
    """

    key: str
    operation: str
    title: str
    request: dict
    response: dict
    category: str = ""
    note: str = ""
    truncated: tuple[str, ...] = ()
    varies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    """One path of the Open API (always ``POST`` with a JSON body)."""

    key: str
    url_name: str
    title: str
    summary: str
    description: str
    request: tuple[Field, ...]
    response: tuple[Field, ...]
    needs_session: bool = True
    tag: str = ""

    @property
    def path(self) -> str:
        return reverse(self.url_name)

    def fields(self, part: str) -> tuple[Field, ...]:
        """``"request"``, ``"response"`` or a dotted path into them (``"response.data"``)."""
        head, *rest = part.split(".")
        if head not in ("request", "response"):
            raise KeyError(part)
        found: tuple[Field, ...] = getattr(self, head)
        for name in rest:
            match = [f for f in found if f.name == name]
            if not match:
                raise KeyError(part)
            found = match[0].fields
        return found


@dataclass(frozen=True)
class Revision:
    """One entry of the changelog (Revisi)."""

    version: str
    date: date
    changes: tuple[str, ...]
