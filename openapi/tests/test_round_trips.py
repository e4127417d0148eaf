"""What a call costs the database: the caller's statement also answers the product lookup of
the payment services, the statements of each service are counted, and the rc 75 check
reads index entries rather than the partner's whole history."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.tests.factories import TransactionFactory
from openapi.selectors import ProductQuery, caller_for, product_lookup
from openapi.selectors.transactions import _same_payment_sql
from openapi.tests.helpers import buy, inquire, pay
from portal.lib.environments import Environment
from portal.lib.sql import statement

DEV = Environment.DEVELOPMENT


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return (
        a.product.pk == b.product.pk
        and a.product.category.name == b.product.category.name
        and a.partner_state == b.partner_state
        and a.reference_used == b.reference_used
        and a.inquiry == b.inquiry
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        ProductQuery("100301"),
        ProductQuery("100301", "R-USED"),
        ProductQuery("100301", "R-FREE"),
        ProductQuery("100301", "R-ASKED", with_inquiry=True),
        ProductQuery("100301", "R-FREE", with_inquiry=True),
        ProductQuery("999999", "R-FREE", with_inquiry=True),
        ProductQuery("100312"),
    ],
    ids=str,
)
def test_the_caller_statement_answers_a_product_lookup_like_product_lookup(
    dev_api, dev_credential, partner, postpaid, prepaid, funded, query
):
    TransactionFactory(partner=partner, environment=DEV, reference_id="R-USED")
    assert inquire(dev_api, postpaid, "530000000001", "R-ASKED")["rc"] == "00"

    found = caller_for(username=dev_credential.username, product=query)

    assert found.product[0] == query
    alone = product_lookup(query=query, partner=partner, environment=DEV)
    assert _same(found.product[1], alone)
    assert (alone is None) == (query.code == "999999")
    assert found.whitelist and found.credential.pk == dev_credential.pk


@pytest.mark.django_db(transaction=True)
def test_statements_of_inquiry_payment_and_single_payment(
    dev_api, postpaid, prepaid, funded
):
    """Outside a test transaction, as in production: Inquiry is the caller (with the
    product), the inquiry row and the log row (written at once in tests); a payment is the
    caller, one message with the lock and the debit (its rc 75 guard, the transaction and
    its ledger entry: a transaction of its own, no BEGIN or COMMIT), the biller's answer and
    the log row. Statements are prepared once per connection, so the second round is
    counted."""
    counts = {}
    for round_ in (1, 2):
        with CaptureQueriesContext(connection) as asked:
            bill = inquire(dev_api, postpaid, f"53000000000{round_}", f"R-{round_}")
        amounts = [int(bill["data"][k]) for k in ("tagihan", "admin", "total")]
        with CaptureQueriesContext(connection) as paid:
            pay(dev_api, postpaid, f"53000000000{round_}", f"R-{round_}", amounts)
        with CaptureQueriesContext(connection) as bought:
            buy(dev_api, prepaid, f"53000000000{round_}", f"S-{round_}")
        counts = {"Inquiry": asked, "Payment": paid, "SinglePayment": bought}

    sent = {name: len(queries) for name, queries in counts.items()}
    assert sent == {"Inquiry": 3, "Payment": 4, "SinglePayment": 4}, {
        name: [q["sql"][:90] for q in queries] for name, queries in counts.items()
    }


@pytest.mark.django_db
def test_the_rc_75_check_reads_index_entries_only(partner, funded):
    """A payment must not grow slower with each transaction of the partner: the check is
    an index lookup (the referenceID is the product lookup's and the unique index's)."""
    for n in range(300):
        TransactionFactory(
            partner=partner,
            environment=DEV,
            reference_id=f"HIST-{n}",
            customer_number=f"5300000{n:05d}",
            product_code="100301",
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_transaction")
        params = [
            partner.pk,
            DEV,
            "530000000007",
            "100301",
            100,
            timezone.now(),
            "gagal",
            "HIST-7",
        ]
        text = statement(cursor, _same_payment_sql())
        cursor.execute(f"EXPLAIN (FORMAT JSON) {text}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def scans(node):
        if "Index Cond" in node or node["Node Type"] == "Seq Scan":
            yield node
        for child in node.get("Plans", []):
            yield from scans(child)

    found = list(scans(plan[0]["Plan"]))
    assert len(found) == 1, plan
    assert "customer_number" in found[0].get("Index Cond", ""), plan
