"""A seeded random mix of top-ups, debits, reversals and refusals: after every step each
balance equals the sum of its entries and is never negative."""

import random

from accounts.tests.factories import PartnerFactory, StaffFactory
from billing.models import DepositAccount, LedgerEntry
from billing.services import (
    BillingError,
    InsufficientDeposit,
    deposit_reverse,
    deposit_sandbox_fund,
    transaction_complete,
)
from billing.tests.conftest import assert_ledger_consistent
from billing.tests.factories import BankAccountFactory, TopUpFactory, paid_transaction
from portal.lib.environments import Environment
from portal.lib.review import review_decide

STEPS = 1_000


def test_seeded_sequence_keeps_every_balance_equal_to_its_entries(db):
    rng = random.Random(20261129)  # noqa: S311 - reproducible test data
    staff = StaffFactory()
    bank = BankAccountFactory()
    partners = [PartnerFactory(), PartnerFactory()]
    expected = {(p.pk, env): 0 for p in partners for env in Environment.values}
    debited = []  # transactions that hold a debit, maybe reversed later
    written = 0
    seen = {"topup": 0, "debit": 0, "refused": 0, "reversal": 0, "noop": 0}

    for step in range(STEPS):
        partner = rng.choice(partners)
        env = rng.choice(Environment.values)
        key = (partner.pk, env)
        roll = rng.random()
        if roll < 0.2:
            if env == Environment.PRODUCTION:
                topup = TopUpFactory(
                    partner=partner,
                    bank_account=bank,
                    amount=rng.randrange(100_000, 400_000, 1_000),
                )
                review_decide(subject=topup, approve=True, actor=staff)
                expected[key] += topup.transfer_amount
                written += 1
            else:
                try:
                    entry = deposit_sandbox_fund(
                        partner=partner, actor=staff, amount=rng.randrange(1, 300_000)
                    )
                    expected[key] += entry.amount
                    written += 1
                except BillingError:
                    seen["refused"] += 1  # sandbox cap reached
            seen["topup"] += 1
        elif roll < 0.75:
            total = rng.randrange(1_000, 150_000)
            try:
                txn = paid_transaction(
                    partner, total=total, environment=env, reference_id=f"R{step:05d}"
                )
            except InsufficientDeposit:
                seen["refused"] += 1
            else:
                expected[key] -= total
                written += 1
                debited.append(txn)
                seen["debit"] += 1
        elif debited:
            txn = rng.choice(debited)
            already = txn.ledger_entries.filter(kind="reversal").exists()
            if rng.random() < 0.5:
                reversed_now = deposit_reverse(transaction=txn) is not None
            else:
                transaction_complete(transaction=txn, status="gagal", rc="17")
                reversed_now = txn.ledger_entries.filter(kind="reversal").exists()
                reversed_now = reversed_now and not already
            assert not (already and reversed_now), "reversed twice"
            if reversed_now:
                expected[(txn.partner_id, txn.environment)] += txn.total
                seen["reversal"] += 1
                written += 1
            else:
                seen["noop"] += 1
        else:
            seen["noop"] += 1
        assert_ledger_consistent()
        balances = dict.fromkeys(expected, 0)
        balances.update(
            {
                (a.partner_id, a.environment): a.balance
                for a in DepositAccount.objects.all()
            }
        )
        assert balances == expected, f"step {step}"

    assert sum(seen.values()) == STEPS
    assert min(seen["topup"], seen["debit"], seen["refused"], seen["reversal"]) > 20
    assert LedgerEntry.objects.count() == written
