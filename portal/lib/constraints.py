"""Telling which unique constraint a write broke, by the constraint, never by free text.

PostgreSQL names the constraint in the error (``diag.constraint_name``, psycopg 2 and 3
alike). SQLite (``make run``) names none: its message lists the table's columns of the
index that refused the row (``UNIQUE constraint failed: t.a, t.b``), and those are compared
with the columns of the model's constraint of that name, so that another unique index of
the same table is never taken for it.
"""

from __future__ import annotations

from django.db import IntegrityError

SQLITE_UNIQUE = "UNIQUE constraint failed: "


def unique_violation(exc: IntegrityError, model, name: str) -> bool:
    """Is ``exc`` the violation of ``model``'s unique constraint ``name``?"""
    cause = exc.__cause__
    constraint_name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    if constraint_name:
        return constraint_name == name
    message = str(cause if cause is not None else exc)
    if not message.startswith(SQLITE_UNIQUE):
        return False
    constraint = next(c for c in model._meta.constraints if c.name == name)
    wanted = {model._meta.get_field(field).column for field in constraint.fields}
    table = model._meta.db_table
    failed = {part.strip() for part in message[len(SQLITE_UNIQUE) :].split(",")}
    return failed == {f"{table}.{column}" for column in wanted}
