"""Partners at each step of the profile's life, built through the same services as the portal."""

import pytest

from accounts.models import Partner
from accounts.tests.factories import PartnerFactory, UserFactory
from portal.lib.review import review_decide
from profiles import services
from profiles.tests.factories import service_data, service_documents


@pytest.fixture
def new_owner(db):
    """The owner of a company that registered and has not completed its profile."""
    return UserFactory(
        partner=PartnerFactory(
            kind=Partner.Kind.PERUSAHAAN, status=Partner.Status.INCOMPLETE
        )
    )


@pytest.fixture
def pribadi_owner(db):
    return UserFactory(
        partner=PartnerFactory(
            kind=Partner.Kind.PRIBADI,
            status=Partner.Status.INCOMPLETE,
            name="Budi Santoso",
        )
    )


def submit_profile(owner):
    kind = owner.partner.kind
    services.profile_save(
        partner=owner.partner,
        actor=owner,
        data=service_data(kind),
        documents=service_documents(kind),
        submit=True,
    )
    return owner.partner.profile.submissions.get(kind="initial")


@pytest.fixture
def submission(new_owner):
    """new_owner's profile, submitted and waiting for staff."""
    return submit_profile(new_owner)


@pytest.fixture
def approved_owner(submission, staff, django_capture_on_commit_callbacks):
    """The owner of a partner whose profile staff approved (credentials issued)."""
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=submission, approve=True, actor=staff)
    owner = submission.partner.owner
    owner.partner.refresh_from_db()
    return owner
