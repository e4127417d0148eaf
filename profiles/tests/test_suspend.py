"""Staff suspend and reactivate a partner from the Partner admin."""

import pytest

from accounts.models import Partner
from openapi.selectors import caller_for
from portal.models import AuditEvent

CHANGELIST = "/backoffice/accounts/partner/"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _action(client, action, partner, **extra):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [partner.pk], **extra}
    )


def test_suspend_asks_for_a_reason(staff_client, approved_owner):
    response = _action(staff_client, "partner_suspend_action", approved_owner.partner)
    assert response.status_code == 200
    assert "Alasan penonaktifan" in response.content.decode()
    assert Partner.objects.get(pk=approved_owner.partner_id).status == "aktif"


def test_suspending_stops_the_credentials_and_tells_the_partner(
    db, mailoutbox, staff_client, approved_owner, django_capture_on_commit_callbacks
):
    partner = approved_owner.partner
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(
            staff_client,
            "partner_suspend_action",
            partner,
            reason="Dokumen perlu diperbarui.",
        )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == Partner.Status.SUSPENDED
    # The Open API finds the credential with its partner suspended, and refuses it (403).
    found = caller_for(username=f"{partner.code.lower()}.prod")
    assert found.partner.status == Partner.Status.SUSPENDED
    (email,) = mailoutbox
    assert email.subject.endswith("dinonaktifkan")
    assert "Dokumen perlu diperbarui." in email.body
    assert "Dokumen perlu diperbarui." in email.alternatives[0][0]
    event = AuditEvent.objects.get(action="partner.suspended")
    assert event.after == {"reason": "Dokumen perlu diperbarui."}


def test_reactivating_returns_the_earned_status(
    db, mailoutbox, staff_client, approved_owner, django_capture_on_commit_callbacks
):
    partner = approved_owner.partner
    _action(staff_client, "partner_suspend_action", partner, reason="Audit")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _action(staff_client, "partner_reactivate_action", partner)
    partner.refresh_from_db()
    assert partner.status == Partner.Status.ACTIVE
    found = caller_for(username=f"{partner.code.lower()}.prod")
    assert found.partner.status == Partner.Status.ACTIVE
    (email,) = mailoutbox
    assert "diaktifkan kembali" in email.subject and "Aktif" in email.body
    assert AuditEvent.objects.filter(action="partner.reactivated").exists()


def test_a_partner_suspended_while_waiting_returns_to_waiting(staff_client, submission):
    partner = submission.partner
    _action(staff_client, "partner_suspend_action", partner, reason="Cek ulang")
    _action(staff_client, "partner_reactivate_action", partner)
    partner.refresh_from_db()
    assert partner.status == Partner.Status.PENDING


def test_approving_a_suspended_partner_keeps_it_suspended(
    staff_client, submission, django_capture_on_commit_callbacks
):
    partner = submission.partner
    _action(staff_client, "partner_suspend_action", partner, reason="Cek ulang")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/backoffice/profiles/profilesubmission/",
            {"action": "review_approve", "_selected_action": [submission.pk]},
        )
    partner.refresh_from_db()
    assert partner.status == Partner.Status.SUSPENDED
    _action(staff_client, "partner_reactivate_action", partner)
    partner.refresh_from_db()
    assert partner.status == Partner.Status.ACTIVE


def test_reactivating_an_active_partner_changes_nothing(staff_client, approved_owner):
    response = _action(
        staff_client, "partner_reactivate_action", approved_owner.partner
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="partner.reactivated").exists()
    assert Partner.objects.get(pk=approved_owner.partner_id).status == "aktif"


def test_status_is_not_editable_in_the_partner_form(staff_client, approved_owner):
    page = staff_client.get(
        f"{CHANGELIST}{approved_owner.partner_id}/change/"
    ).content.decode()
    assert 'name="status"' not in page
