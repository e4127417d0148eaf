"""unique_violation tells the broken constraint by its name (PostgreSQL) or by its columns
(SQLite, whose errors name none)."""

import sqlite3

import pytest
from django.db import IntegrityError, transaction

from billing.models import Transaction
from billing.tests.factories import TransactionFactory
from portal.lib.constraints import unique_violation

REFERENCE = "billing_txn_reference_unique"


@pytest.mark.django_db
def test_postgresql_names_the_constraint(partner):
    first = TransactionFactory(partner=partner, reference_id="R-1")
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        TransactionFactory(
            partner=partner, environment=first.environment, reference_id="R-1"
        )

    assert unique_violation(raised.value, Transaction, REFERENCE)
    assert not unique_violation(raised.value, Transaction, "billing_txn_other")


def _sqlite_error(unique_columns: str) -> IntegrityError:
    """The error Django raises for a real SQLite refusal (its own wrapped around it)."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE billing_transaction (partner_id, environment, reference_id, "
        f"customer_number, UNIQUE ({unique_columns}))"
    )
    row = "INSERT INTO billing_transaction VALUES (1, 'development', 'R-1', '0812')"
    db.execute(row)
    try:
        db.execute(row)
    except sqlite3.IntegrityError as exc:
        wrapped = IntegrityError(*exc.args)
        wrapped.__cause__ = exc
        return wrapped
    raise AssertionError("SQLite accepted a duplicate row")


def test_sqlite_is_told_by_the_constraints_columns():
    reference = _sqlite_error("partner_id, environment, reference_id")
    other = _sqlite_error("partner_id, customer_number")

    assert unique_violation(reference, Transaction, REFERENCE)
    assert not unique_violation(other, Transaction, REFERENCE)


def test_an_error_of_another_kind_is_no_violation():
    assert not unique_violation(
        IntegrityError("NOT NULL constraint failed: t.reference_id"),
        Transaction,
        REFERENCE,
    )
