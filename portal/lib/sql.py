"""Hand-written SQL for the paths that run on every Open API call.

Statements are written once from the models' own ``_meta`` (table and column names are never
typed by hand) with ``%s`` placeholders, and run through :func:`execute`. On PostgreSQL a
statement is prepared once per database connection (``PREPARE``) and then only executed: the
server parses and plans it once instead of on every call: for statements this small, planning
is most of the server's work (``make bench`` measures the effect). Other databases (SQLite for
``make run``) run the text as it is.

A prepared statement outlives the transaction that created it (PostgreSQL does not roll a
``PREPARE`` back), so the set of prepared names only has to follow the connection itself
(the driver's, which a pool hands from thread to thread).
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import date

from django.db import connection


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return qn(model._meta.db_table)


def col(model, attname: str) -> str:
    """The quoted column of the field whose attribute is ``attname`` ("partner_id", …)."""
    for model_field in model._meta.concrete_fields:
        if model_field.attname == attname:
            return qn(model_field.column)
    raise LookupError(f"{model.__name__} has no field {attname}")


class Columns:
    """Selected fields of a model, in its concrete order, and how to make an instance."""

    def __init__(self, model, alias: str, wanted):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
        self.attnames = tuple(f.attname for f in fields)
        # ``from_db`` only asks whether each field is in it: a set answers at once.
        self.selected = frozenset(self.attnames)
        self.sql = ", ".join(f"{alias}.{qn(f.column)}" for f in fields)

    def __len__(self) -> int:
        return len(self.attnames)

    def instance(self, values):
        """The row as the ORM makes it (fields not selected are deferred: read on first
        use)."""
        return self.model.from_db(connection.alias, self.selected, values)


def joined(obj, name: str, related) -> None:
    """Give ``obj`` the object of its foreign key ``name``, read in the same row, as
    ``select_related`` does: ``obj.<name>`` then costs no query. (Assigning it instead runs
    the descriptor's checks and the database router on every call.)"""
    obj._meta.get_field(name).set_cached_value(obj, related)


@functools.lru_cache(maxsize=128)
def _prepared_form(sql: str) -> tuple[str, str, str]:
    """(name, the PREPARE statement, the EXECUTE statement with ``%s`` placeholders)."""
    if "%%" in sql or "$" in sql:
        raise ValueError("prepared SQL takes only %s placeholders")
    parts = sql.split("%s")
    numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
    name = "woa_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    placeholders = ", ".join(["%s"] * (len(parts) - 1))
    call = f"EXECUTE {name} ({placeholders})" if placeholders else f"EXECUTE {name}"
    return name, f"PREPARE {name} AS {numbered}", call


def _prepared_names() -> set[str]:
    """The statements prepared on the current connection (a new connection has none). The
    set lives on the driver's connection itself: with a pool (``DB_POOL_MAX_SIZE``) one
    server session serves one thread, then another."""
    raw = connection.connection
    names = getattr(raw, "_woa_prepared", None)
    if names is None:
        names = raw._woa_prepared = set()
    return names


def statement(cursor, sql: str) -> str:
    """The text to send for ``sql``: on PostgreSQL the ``EXECUTE`` of its prepared form,
    preparing it first (one round trip, once per connection)."""
    if connection.vendor != "postgresql":
        return sql
    name, prepare, call = _prepared_form(sql)
    names = _prepared_names()
    if name not in names:
        cursor.execute(prepare)
        names.add(name)
    return call


def execute(cursor, sql: str, params=()) -> None:
    """Run ``sql`` with ``params`` on ``cursor`` (a Django cursor), prepared on PostgreSQL."""
    cursor.execute(statement(cursor, sql), params)


# The first statement of a message whose transaction commits without waiting for the disk.
_RELAXED = "SET LOCAL synchronous_commit TO OFF"
# The last statement of a message sent by :func:`execute_committed`: a transaction that
# writes a WAL record (a logical message no decoder reads) and so commits synchronously.
_FLUSH_SQL = "SELECT pg_logical_emit_message(true, 'woa', 'flush')"


def write_relaxed(sql: str, values, *, prepare: bool = True) -> int:
    """Run one write committed without waiting for the disk flush (PostgreSQL), for rows
    that a database crash may lose but never half-write, and return its row count: the
    SET LOCAL and the write go to the server as one message, one transaction of its own
    (one round trip, no wait for the flush; on a failure the session is left outside any
    transaction). Inside an outer transaction (tests) the write simply joins it."""
    with connection.cursor() as cursor:
        text = statement(cursor, sql) if prepare else sql
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            cursor.execute(text, values)
        else:
            cursor.execute(f"{_RELAXED}; {text}", values)
            cursor.nextset()
        return cursor.rowcount


def execute_committed(cursor, texts: list[str], params) -> None:
    """PostgreSQL, outside a transaction: run ``texts`` (statements as :func:`statement`
    gives them) as one transaction of their own in one message, and leave ``cursor`` on the
    last one's result.

    The transaction commits without waiting for the disk (:func:`write_relaxed`'s way), so
    the rows it locked are free as soon as its work is done, not after a WAL flush; a second
    transaction in the same message then commits synchronously, which puts the WAL up to it
    on disk, that commit included, before the message returns. So nothing outside the
    database (a provider's call) acts on it before it is durable, and a session that saw it
    meanwhile commits after it in the WAL: a crash cannot keep that and lose this. On a
    failure PostgreSQL skips the rest of the message and the session is left outside any
    transaction."""
    cursor.execute("; ".join([_RELAXED, *texts, "COMMIT", _FLUSH_SQL]), params)
    for _ in texts:  # past the SET to the last of ``texts``
        cursor.nextset()


@functools.cache
def stored_fields(model) -> tuple[str, ...]:
    """The attribute names of every column of ``model`` but its primary key."""
    return tuple(f.attname for f in model._meta.concrete_fields if not f.primary_key)


@functools.cache
def insert_sql(model, attnames: tuple[str, ...], returning: str = "id") -> str:
    """``INSERT`` of one row of ``model`` with the fields ``attnames``, returning a column."""
    columns = ", ".join(col(model, name) for name in attnames)
    values = ", ".join(["%s"] * len(attnames))
    return (
        f"INSERT INTO {table(model)} ({columns}) VALUES ({values}) "  # noqa: S608 - names come from _meta; values are parameters
        f"RETURNING {col(model, returning)}"
    )


def db_values(model, attnames, values: dict) -> list:
    """``values`` (by attribute name) as the parameters of :func:`insert_sql`: each field's
    own conversion for the database (JSON, dates…)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [
        fields[name].get_db_prep_save(values[name], connection) for name in attnames
    ]


def json_time(value) -> str:
    """``json.dumps``'s ``default`` for a row sent as JSON: a time (the only value of a row
    JSON has no type for) in ISO 8601, as PostgreSQL reads it."""
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form for PostgreSQL")


def json_row(model, attnames, values: dict) -> str:
    """``values`` (by attribute name) as one JSON object by column name, the parameter of
    :func:`json_record`: a whole row in one parameter. psycopg quotes parameters one by
    one in Python, and the 27 columns of a transaction cost more that way than the JSON of
    all of them (290 against 235 µs of client CPU per debit, README "Performance"). A JSON
    field's value goes in as JSON, times as ISO 8601."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return json.dumps(
        {fields[name].column: values[name] for name in attnames},
        default=json_time,
        ensure_ascii=False,
    )


def json_record(model) -> str:
    """PostgreSQL: the row of :func:`json_row` as a record of ``model``'s table (its columns
    by name, each read by its own type: a too-long text or a wrong number is refused)."""
    return f"json_populate_record(NULL::{table(model)}, %s::json)"


def instance(model, values: dict):
    """A model instance of a row just written, from its values by attribute name."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(connection.alias, names, [values[n] for n in names])


def insert_row(model, values: dict):
    """Insert one row of ``model`` (``values``: every column but the primary key, by
    attribute name) with a prepared statement, and return it as an instance."""
    names = stored_fields(model)
    with connection.cursor() as cursor:
        execute(cursor, insert_sql(model, names), db_values(model, names, values))
        pk = cursor.fetchone()[0]
    return instance(model, {**values, model._meta.pk.attname: pk})
