"""The reactions to a staff decision are registered by the subject's services and run inside
the decision's transaction."""

import pytest

from billing.models import DepositAdjustment, TopUp
from connections.models import Connection
from connections.tests.factories import ConnectionFactory
from integration.models import LiveRequest, UatRequest
from portal.lib import review
from portal.lib.review import ReviewError, ReviewStatus, review_decide
from profiles.models import ProfileSubmission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [DepositAdjustment, TopUp, Connection, UatRequest, LiveRequest, ProfileSubmission],
)
def test_every_subject_with_a_reaction_has_its_handler_registered_at_startup(model):
    assert review._handler_for(model, "approved") is not None


def test_the_handler_gets_the_locked_row_and_the_actor(monkeypatch, staff):
    entry = ConnectionFactory()
    seen = []

    def approved(*, subject, actor):
        seen.append((subject.pk, subject.review_status, actor))

    monkeypatch.setitem(
        review._handlers, Connection, {"approved": approved, "rejected": None}
    )
    review_decide(subject=entry, approve=True, actor=staff)

    assert seen == [(entry.pk, ReviewStatus.APPROVED, staff)]


def test_a_refusing_handler_rolls_the_decision_back(monkeypatch, staff):
    entry = ConnectionFactory()

    def refuse(*, subject, actor):
        raise ReviewError("tidak boleh")

    monkeypatch.setitem(
        review._handlers, Connection, {"approved": None, "rejected": refuse}
    )
    with pytest.raises(ReviewError, match="tidak boleh"):
        review_decide(subject=entry, approve=False, actor=staff, reason="salah")

    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.PENDING
    assert entry.review_reason == ""
