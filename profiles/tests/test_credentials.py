"""Credentials issued on approval: once, with only HA1 stored."""

import hashlib
import re

import pytest

from accounts.models import Partner, User
from openapi.selectors import caller_for
from portal.lib.review import review_decide
from profiles import selectors, services
from profiles.models import Credential
from profiles.tests.conftest import submit_profile


def _passwords(body: str) -> dict[str, str]:
    """username → password, as the credentials email lists them."""
    pairs = re.findall(r"Username\s*:\s*(\S+)\s+Password\s*:\s*(\S+)", body)
    return dict(pairs)


@pytest.fixture
def approval(db, mailoutbox, submission, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=submission, approve=True, actor=staff)
    partner = submission.partner
    partner.refresh_from_db()
    return partner, _passwords(mailoutbox[1].body)


def test_approval_issues_a_webreport_login_and_two_digest_credentials(approval):
    partner, passwords = approval
    code = partner.code.lower()
    assert set(passwords) == {f"{code}.report", f"{code}.prod", f"{code}.dev"}
    prod = Credential.objects.get(partner=partner, environment="production")
    dev = Credential.objects.get(partner=partner, environment="development")
    assert prod.username == f"{code}.prod" and dev.username == f"{code}.dev"
    assert prod.merchant_id != dev.merchant_id
    assert prod.mitra == dev.mitra == partner.code
    assert prod.merchant_name == "PT Maju Jaya Digital"
    assert prod.counter_id == "1"
    assert prod.account_id and prod.account_id != dev.account_id
    report = User.objects.get(username=f"{code}.report")
    assert report.partner == partner and not report.is_owner
    assert report.access_rights == {"transaksi": "view"}
    assert partner.profile.webreport_user == report


def test_only_ha1_of_the_password_is_stored(approval, settings):
    partner, passwords = approval
    credential = Credential.objects.get(partner=partner, environment="production")
    password = passwords[credential.username]
    expected = hashlib.md5(  # noqa: S324 - the Digest protocol's HA1
        f"{credential.username}:WebOpenAPI:{password}".encode()
    ).hexdigest()
    assert credential.ha1 == expected
    assert password not in str(Credential.objects.filter(pk=credential.pk).values())
    assert selectors.credential_check_password(credential, password)
    assert not selectors.credential_check_password(credential, password + "x")


def test_realm_comes_from_the_setting(settings):
    settings.DIGEST_REALM = "Kiosbank"
    assert (
        selectors.digest_ha1("mtr1.prod", "rahasia")
        == hashlib.md5(b"mtr1.prod:Kiosbank:rahasia").hexdigest()  # noqa: S324
    )


def test_webreport_login_works_with_the_emailed_password(client, approval):
    partner, passwords = approval
    username = f"{partner.code.lower()}.report"
    response = client.post(
        "/akun/login/", {"identifier": username, "password": passwords[username]}
    )
    assert response.status_code == 302
    # Limited to reports: the profile and credentials are closed to it.
    assert client.get("/profil/data/").status_code == 403
    assert client.get("/profil/kredensial/").status_code == 403


def test_the_open_api_finds_an_active_partners_credential(approval):
    partner, _passwords = approval
    found = caller_for(username=f"{partner.code.lower()}.dev")
    assert found is not None and found.credential.partner == partner
    assert found.partner.status == Partner.Status.ACTIVE
    assert caller_for(username="tidak-ada") is None


def test_credentials_are_issued_once_per_partner(
    approval, mailoutbox, staff, django_capture_on_commit_callbacks
):
    partner, _passwords = approval
    owner = partner.owner
    before = list(Credential.objects.values_list("pk", "ha1"))
    # A change of legal data goes back to staff; approving it issues nothing new.
    services.profile_save(
        partner=partner,
        actor=owner,
        data={"npwp": "3174011505900001"},
        submit=True,
    )
    change = partner.profile.submissions.get(kind="change")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=change, approve=True, actor=staff)
    assert list(Credential.objects.values_list("pk", "ha1")) == before
    assert User.objects.filter(username__endswith=".report").count() == 1
    assert [m.subject for m in mailoutbox] == [
        "Disetujui: Perubahan data profil: " + str(partner)
    ]


def test_each_partner_gets_its_own_merchant_ids(
    approval, pribadi_owner, staff, django_capture_on_commit_callbacks
):
    other = submit_profile(pribadi_owner)
    with django_capture_on_commit_callbacks(execute=True):
        review_decide(subject=other, approve=True, actor=staff)
    assert Credential.objects.count() == 4
    assert Credential.objects.values("merchant_id").distinct().count() == 4
