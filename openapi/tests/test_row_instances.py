"""``Columns.instance`` makes the model instances of the hot path: they must behave as the
ORM's own deferred-field instances."""

import pytest
from django.db import connection
from django.db.models import signals

from openapi.selectors.products import PRODUCT_FIELDS
from portal.lib.sql import Columns, joined
from products.models import Category, Product
from profiles.models import Credential
from profiles.selectors import CREDENTIAL_FIELDS

pytestmark = pytest.mark.django_db


def _row(columns: Columns, pk) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql} FROM {columns.model._meta.db_table} x WHERE x.id = %s",  # noqa: S608 - a test's own names
            [pk],
        )
        return cursor.fetchone()


@pytest.mark.parametrize(
    ("model", "fields", "fixture"),
    [
        (Credential, CREDENTIAL_FIELDS, "dev_credential"),
        (Product, PRODUCT_FIELDS, "postpaid"),
    ],
)
def test_an_instance_is_what_from_db_makes(request, model, fields, fixture):
    stored = request.getfixturevalue(fixture)
    columns = Columns(model, "x", fields)
    row = _row(columns, stored.pk)

    fast = columns.instance(row)
    orm = model.from_db(connection.alias, list(columns.attnames), list(row))

    assert type(fast) is model
    assert fast == orm == stored
    assert fast.get_deferred_fields() == orm.get_deferred_fields() != set()
    assert (fast._state.adding, fast._state.db) == (False, connection.alias)
    assert {k: v for k, v in vars(fast).items() if k != "_state"} == {
        k: v for k, v in vars(orm).items() if k != "_state"
    }


def test_a_deferred_field_is_read_on_first_use_and_the_instance_saves(dev_credential):
    columns = Columns(Credential, "x", ("id", "partner_id", "username"))
    credential = columns.instance(_row(columns, dev_credential.pk))

    assert credential.merchant_name == dev_credential.merchant_name
    assert credential.partner == dev_credential.partner

    credential.merchant_name = "Toko Baru"
    credential.save(update_fields=["merchant_name"])
    dev_credential.refresh_from_db()
    assert dev_credential.merchant_name == "Toko Baru"


def test_a_model_with_init_signals_gets_them(listrik):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Category)
    try:
        columns = Columns(Category, "x", ("id", "slug", "name"))
        category = columns.instance(_row(columns, listrik.pk))
    finally:
        signals.post_init.disconnect(receiver, sender=Category)

    assert seen == [category] == [listrik]


def test_a_joined_object_is_there_without_a_query(
    dev_credential, django_assert_num_queries
):
    credential_columns = Columns(Credential, "x", CREDENTIAL_FIELDS)
    credential = credential_columns.instance(
        _row(credential_columns, dev_credential.pk)
    )
    partner = dev_credential.partner

    joined(credential, "partner", partner)

    with django_assert_num_queries(0):
        assert credential.partner is partner
