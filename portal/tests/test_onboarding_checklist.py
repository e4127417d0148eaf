"""The dashboard's onboarding checklist: each of the manual's steps with its state and the next
action, per product for UAT and Live, only the menus the user may open, gone once all done."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Partner
from accounts.tests.factories import PartnerFactory, UserFactory
from billing.tests.factories import TopUpFactory, deposit_fund, png_upload
from connections.tests.factories import ConnectionFactory
from portal.lib.access import Level, Menu
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus, review_decide
from portal.selectors import onboarding_checklist
from products.models import PartnerProduct
from products.tests.factories import PartnerProductFactory
from profiles import services as profile_services
from profiles.tests.factories import service_data, service_documents

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
State = PartnerProduct.State


def _states(partner, user=None) -> dict[str, str]:
    checklist = onboarding_checklist(partner=partner, user=user or partner.owner)
    return {step.key: step.state for step in checklist.steps}


def _step(partner, key, user=None):
    checklist = onboarding_checklist(partner=partner, user=user or partner.owner)
    return next(step for step in checklist.steps if step.key == key)


def _both_ips(partner):
    for environment in Environment.values:
        ConnectionFactory(partner=partner, environment=environment, approved=True)


def _dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def _onboarding(html: str) -> str:
    found = re.search(r'<section[^>]*data-testid="onboarding".*?</section>', html, re.S)
    assert found, "no onboarding checklist on the page"
    return found.group(0)


# --- profil and verifikasi ----------------------------------------------------------------


def test_a_new_partner_starts_with_lengkapi_data(client):
    owner = UserFactory(partner=PartnerFactory(status=Partner.Status.INCOMPLETE))

    html = _onboarding(_dashboard(client, owner))

    assert 'data-step="profil" data-state="todo"' in html
    assert 'data-step="verifikasi" data-state="todo"' in html
    assert f'href="{reverse("profiles:edit")}">Lengkapi Data</a>' in html
    assert "0 dari 7 langkah selesai" in html
    # Products and deposit wait for the account: no link that would be refused.
    assert reverse("products:choose") not in html
    assert reverse("billing:topup_create") not in html


def test_a_submitted_profile_waits_for_staff(db):
    partner = PartnerFactory(status=Partner.Status.PENDING)
    UserFactory(partner=partner)

    assert _states(partner)["profil"] == "done"
    step = _step(partner, "verifikasi")
    assert step.state == "waiting"
    assert "1x24 jam" in step.detail
    assert step.action is None


def test_a_rejected_profile_shows_the_reason_and_perbaiki_data(client, staff):
    owner = UserFactory(partner=PartnerFactory(status=Partner.Status.INCOMPLETE))
    partner = owner.partner
    profile_services.profile_save(
        partner=partner,
        actor=owner,
        data=service_data(partner.kind),
        documents=service_documents(partner.kind),
        submit=True,
    )
    review_decide(
        subject=partner.profile.submissions.get(),
        approve=False,
        actor=staff,
        reason="Scan KTP buram.",
        notify=False,
    )

    html = _onboarding(_dashboard(client, owner))

    assert 'data-step="verifikasi" data-state="rejected"' in html
    assert "Alasan: Scan KTP buram." in html
    assert f'href="{reverse("profiles:edit")}">Perbaiki Data</a>' in html
    assert "Lengkapi Data" not in html


# --- IP -----------------------------------------------------------------------------------


def test_ip_is_to_do_until_both_environments_are_approved(owner, partner):
    step = _step(partner, "ip")
    assert step.state == "todo"
    assert step.action.url == reverse("connections:add")

    ConnectionFactory(
        partner=partner, environment=Environment.DEVELOPMENT, approved=True
    )
    step = _step(partner, "ip")
    assert step.state == "todo"
    assert "Development disetujui" in step.detail
    assert "Production belum didaftarkan" in step.detail

    ConnectionFactory(partner=partner, environment=Environment.PRODUCTION)
    assert _step(partner, "ip").state == "waiting"

    ConnectionFactory(
        partner=partner, environment=Environment.PRODUCTION, approved=True
    )
    assert _step(partner, "ip").state == "done"


def test_a_rejected_ip_shows_its_reason(owner, partner):
    ConnectionFactory(
        partner=partner, environment=Environment.DEVELOPMENT, approved=True
    )
    ConnectionFactory(
        partner=partner, environment=Environment.PRODUCTION, rejected=True
    )

    step = _step(partner, "ip")

    assert step.state == "rejected"
    assert step.reason == "IP bukan milik server mitra."
    assert step.action.url == reverse("connections:list")


# --- produk, UAT and Live per product -----------------------------------------------------


def test_without_products_the_next_action_is_tambah_produk(owner, partner):
    _both_ips(partner)
    checklist = onboarding_checklist(partner=partner, user=owner)

    assert checklist.next_step.key == "produk"
    assert checklist.next_step.action.url == reverse("products:choose")
    assert _states(partner)["uat"] == "todo"
    assert _step(partner, "uat").action is None


def test_uat_and_live_count_products(client, owner, partner):
    _both_ips(partner)
    for state in (
        State.ACTIVE,
        State.ACTIVE,
        State.LIVE_PENDING,
        State.UAT_APPROVED,
        State.DEVELOPMENT,
    ):
        PartnerProductFactory(partner=partner, state=state)

    html = _onboarding(_dashboard(client, owner))

    assert "4 dari 5 produk sudah lulus UAT." in html
    assert "2 dari 5 produk sudah Live; 1 menunggu approval." in html
    assert 'data-step="produk" data-state="done"' in html
    assert 'data-step="uat" data-state="todo"' in html
    assert f'href="{reverse("integration:uat_add")}">Request UAT</a>' in html
    assert f'href="{reverse("integration:live_list")}">Request Live</a>' in html


def test_uat_waits_for_staff_when_every_open_product_is_filed(owner, partner):
    PartnerProductFactory(partner=partner, state=State.UAT_PENDING)
    PartnerProductFactory(partner=partner, state=State.UAT_APPROVED)

    assert _step(partner, "uat").state == "waiting"
    assert _step(partner, "uat").action is None


def test_a_rejected_uat_or_live_shows_the_reason(owner, partner):
    PartnerProductFactory(
        partner=partner, state=State.UAT_REJECTED, state_reason="Log inquiry kosong."
    )
    PartnerProductFactory(
        partner=partner, state=State.LIVE_REJECTED, state_reason="IP Production salah."
    )

    uat, live = _step(partner, "uat"), _step(partner, "live")

    assert (uat.state, uat.reason) == ("rejected", "Log inquiry kosong.")
    assert uat.action.url == reverse("integration:uat_list")
    assert (live.state, live.reason) == ("rejected", "IP Production salah.")
    assert live.action.url == reverse("integration:live_list")


def test_live_waits_for_staff(owner, partner):
    PartnerProductFactory(partner=partner, state=State.LIVE_PENDING)
    PartnerProductFactory(partner=partner, state=State.ACTIVE)

    assert _step(partner, "live").state == "waiting"
    assert _step(partner, "uat").state == "done"


# --- deposit ------------------------------------------------------------------------------


def test_deposit_steps_follow_the_latest_top_up(owner, partner):
    step = _step(partner, "deposit")
    assert (step.state, step.action.url) == ("todo", reverse("billing:topup_create"))

    topup = TopUpFactory(partner=partner)
    step = _step(partner, "deposit")
    assert step.state == "todo"
    assert step.action.url == reverse("billing:topup_detail", args=[topup.pk])

    topup.proof = png_upload()
    topup.save()
    assert _step(partner, "deposit").state == "waiting"

    topup.review_status = ReviewStatus.REJECTED
    topup.review_reason = "Transfer tidak ditemukan."
    topup.save()
    step = _step(partner, "deposit")
    assert (step.state, step.reason) == ("rejected", "Transfer tidak ditemukan.")

    deposit_fund(partner, 100_000)
    assert _step(partner, "deposit").state == "done"


# --- all done, rights, queries ------------------------------------------------------------


def test_the_checklist_is_gone_once_everything_is_done(client, owner, partner):
    _both_ips(partner)
    PartnerProductFactory(partner=partner, state=State.ACTIVE)
    deposit_fund(partner, 50_000)

    assert onboarding_checklist(partner=partner, user=owner).complete
    assert 'data-testid="onboarding"' not in _dashboard(client, owner)


def test_a_sub_user_sees_only_steps_of_menus_it_may_open(client, partner):
    clerk = UserFactory(
        partner=partner,
        is_owner=False,
        access_rights={
            Menu.DASHBOARD: Level.VIEW,
            Menu.INTEGRASI: Level.VIEW,
            Menu.PRODUK: Level.CHANGE,
        },
    )
    PartnerProductFactory(partner=partner, state=State.UAT_APPROVED)

    html = _onboarding(_dashboard(client, clerk))

    assert set(re.findall(r'data-step="(\w+)"', html)) == {"produk", "uat", "live"}
    # Integrasi is only viewable: its steps show their state without the Request links.
    assert reverse("integration:live_list") not in html
    assert reverse("integration:uat_add") not in html
    assert reverse("connections:add") not in html
    assert reverse("billing:topup_create") not in html
    # The count covers every step, seen or not.
    assert "dari 7 langkah selesai" in html


def test_a_suspended_partner_gets_no_checklist(client):
    owner = UserFactory(partner=PartnerFactory(status=Partner.Status.SUSPENDED))

    assert onboarding_checklist(partner=owner.partner, user=owner) is None
    assert 'data-testid="onboarding"' not in _dashboard(client, owner)


def test_queries_do_not_grow_with_the_number_of_products(owner, partner):
    _both_ips(partner)
    PartnerProductFactory(partner=partner, state=State.UAT_REJECTED)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            onboarding_checklist(partner=partner, user=owner)
        return len(queries)

    few = count()
    for state in (State.DEVELOPMENT, State.ACTIVE, State.LIVE_REJECTED) * 4:
        PartnerProductFactory(partner=partner, state=state)

    assert count() == few
