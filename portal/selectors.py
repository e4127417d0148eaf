"""The onboarding checklist of the dashboard: the manual's steps (profil → verifikasi → IP →
produk → UAT → Live → deposit), how far the partner is with each, and what to do next.

Read through the other apps' selectors, in a fixed number of queries however many products
the partner has chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Partner
from billing.models import TopUp
from billing.selectors import deposit_balance, topups_for
from connections.models import Connection
from connections.selectors import connection_list
from portal.lib.access import Level, Menu, has_right
from portal.lib.environments import Environment
from portal.lib.review import ReviewStatus
from products.models import PartnerProduct
from products.selectors import partner_products
from profiles.selectors import initial_submission, profile_for_partner

DONE = "done"
WAITING = "waiting"
TODO = "todo"
REJECTED = "rejected"

State = PartnerProduct.State
# A product whose UAT was approved stays "UAT done" through Live and after.
_UAT_PASSED = (
    State.UAT_APPROVED,
    State.LIVE_PENDING,
    State.LIVE_REJECTED,
    State.ACTIVE,
)


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    menu: str
    level: str = Level.CHANGE


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str
    detail: str
    menu: str
    reason: str = ""
    action: Action | None = None

    @property
    def is_done(self) -> bool:
        return self.state == DONE


@dataclass(frozen=True)
class Checklist:
    """``steps`` are those the user may see; ``complete`` counts every step."""

    steps: list[Step]
    done: int
    total: int
    next_step: Step | None

    @property
    def complete(self) -> bool:
        return self.done == self.total


def onboarding_checklist(
    *, partner: Partner, user, production_balance: int | None = None
) -> Checklist | None:
    """The checklist for ``user`` of ``partner``; None for a suspended partner, whose way on
    is through the business team, not through these steps. ``production_balance``, when
    the caller has read it already (the dashboard), spares reading it again."""
    if partner.status == Partner.Status.SUSPENDED:
        return None
    active = partner.status == Partner.Status.ACTIVE
    chosen = list(partner_products(partner=partner)) if active else []
    steps = [
        *_profile_steps(partner),
        _ip_step(partner),
        _product_step(chosen, active=active),
        _uat_step(chosen),
        _live_step(chosen),
        _deposit_step(partner, active=active, balance=production_balance),
    ]
    visible = [_for_user(step, user) for step in steps if has_right(user, step.menu)]
    pending = [step for step in visible if not step.is_done]
    return Checklist(
        steps=visible,
        done=sum(step.is_done for step in steps),
        total=len(steps),
        next_step=next((step for step in pending if step.action), None),
    )


def _for_user(step: Step, user) -> Step:
    """The step without its link when the user may not open the page it leads to."""
    action = step.action
    if action is None or has_right(user, action.menu, action.level):
        return step
    return replace(step, action=None)


# --- the steps ----------------------------------------------------------------------------


def _profile_steps(partner: Partner) -> list[Step]:
    status = partner.status
    edit = reverse("profiles:edit")
    if status == Partner.Status.INCOMPLETE:
        profile = Step(
            "profil",
            _("Data profil & dokumen"),
            TODO,
            _("Isi data profil dan unggah scan dokumen."),
            Menu.PROFIL,
            action=Action(_("Lengkapi Data"), edit, Menu.PROFIL),
        )
        review = Step(
            "verifikasi",
            _("Verifikasi profil"),
            TODO,
            _("Diperiksa tim kami setelah data profil diajukan."),
            Menu.PROFIL,
        )
        return [profile, review]
    profile = Step(
        "profil",
        _("Data profil & dokumen"),
        DONE,
        _("Data profil sudah diajukan."),
        Menu.PROFIL,
    )
    if status == Partner.Status.PENDING:
        review = Step(
            "verifikasi",
            _("Verifikasi profil"),
            WAITING,
            _("Menunggu verifikasi tim kami (maksimal 1x24 jam)."),
            Menu.PROFIL,
        )
    elif status == Partner.Status.REJECTED:
        submission = initial_submission(profile_for_partner(partner))
        review = Step(
            "verifikasi",
            _("Verifikasi profil"),
            REJECTED,
            _("Data profil ditolak: perbaiki lalu ajukan kembali."),
            Menu.PROFIL,
            reason=submission.review_reason if submission else "",
            action=Action(_("Perbaiki Data"), edit, Menu.PROFIL),
        )
    else:
        review = Step(
            "verifikasi",
            _("Verifikasi profil"),
            DONE,
            _("Akun aktif; kredensial sudah dikirim ke email Anda."),
            Menu.PROFIL,
        )
    return [profile, review]


def _ip_step(partner: Partner) -> Step:
    """Development needs an approved IP to test, Production to go Live: both count."""
    latest: dict[str, Connection] = {}
    approved = set()
    for connection in connection_list(partner=partner):  # newest first per environment
        latest.setdefault(connection.environment, connection)
        if connection.is_approved:
            approved.add(connection.environment)
    names = {env.value: env.label for env in Environment}
    parts, state, reason = [], DONE, ""
    for env in (Environment.DEVELOPMENT, Environment.PRODUCTION):
        entry = latest.get(env)
        if env in approved:
            parts.append(_("%(env)s disetujui") % {"env": names[env]})
            continue
        if entry is None:
            parts.append(_("%(env)s belum didaftarkan") % {"env": names[env]})
            state = TODO if state != REJECTED else state
        elif entry.review_status == ReviewStatus.PENDING:
            parts.append(_("%(env)s menunggu approval") % {"env": names[env]})
            state = WAITING if state == DONE else state
        else:
            parts.append(_("%(env)s ditolak") % {"env": names[env]})
            state, reason = REJECTED, entry.review_reason
    action = None
    if state in (TODO, REJECTED):
        label = _("Perbaiki IP") if state == REJECTED else _("Tambah IP")
        url = reverse("connections:list" if state == REJECTED else "connections:add")
        action = Action(label, url, Menu.KONEKSI)
    return Step(
        "ip",
        _("Whitelist IP (Koneksi)"),
        state,
        ", ".join(str(part) for part in parts) + ".",
        Menu.KONEKSI,
        reason=reason,
        action=action,
    )


def _product_step(chosen: list[PartnerProduct], *, active: bool) -> Step:
    if chosen:
        detail = ngettext(
            "%(count)d produk dipilih.", "%(count)d produk dipilih.", len(chosen)
        ) % {"count": len(chosen)}
        return Step("produk", _("Pilih produk"), DONE, detail, Menu.PRODUK)
    return Step(
        "produk",
        _("Pilih produk"),
        TODO,
        _("Pilih produk yang akan Anda jual.")
        if active
        else _("Dapat dipilih setelah akun aktif."),
        Menu.PRODUK,
        action=Action(_("Tambah Produk"), reverse("products:choose"), Menu.PRODUK)
        if active
        else None,
    )


def _per_product(
    chosen: list[PartnerProduct], *, passed, pending: str, rejected: str, open_
) -> tuple[str, int, str]:
    """(state, how many passed, first rejection reason) of one per-product step."""
    passed_count = sum(row.state in passed for row in chosen)
    rejected_rows = [row for row in chosen if row.state == rejected]
    if not chosen:
        return TODO, 0, ""
    if passed_count == len(chosen):
        return DONE, passed_count, ""
    if rejected_rows:
        return REJECTED, passed_count, rejected_rows[0].state_reason
    if any(row.state in open_ for row in chosen):
        return TODO, passed_count, ""
    if any(row.state == pending for row in chosen):
        return WAITING, passed_count, ""
    return TODO, passed_count, ""


def _count_detail(
    chosen: list[PartnerProduct], *, passed: int, what: str, pending: str
) -> str:
    """ "2 dari 5 produk sudah Live", and how many of the others wait for staff."""
    detail = _("%(passed)d dari %(total)d produk %(what)s") % {
        "passed": passed,
        "total": len(chosen),
        "what": what,
    }
    waiting = sum(row.state == pending for row in chosen)
    if waiting:
        detail += "; " + _("%(count)d menunggu approval") % {"count": waiting}
    return detail + "."


def _uat_step(chosen: list[PartnerProduct]) -> Step:
    state, passed, reason = _per_product(
        chosen,
        passed=_UAT_PASSED,
        pending=State.UAT_PENDING,
        rejected=State.UAT_REJECTED,
        open_=(State.DEVELOPMENT,),
    )
    action = None
    if state == REJECTED:
        action = Action(
            _("Perbaiki Request UAT"), reverse("integration:uat_list"), Menu.INTEGRASI
        )
    elif state == TODO and chosen:
        action = Action(
            _("Request UAT"), reverse("integration:uat_add"), Menu.INTEGRASI
        )
    detail = (
        _count_detail(
            chosen, passed=passed, what=_("sudah lulus UAT"), pending=State.UAT_PENDING
        )
        if chosen
        else _("Setelah produk dipilih dan diuji di Development.")
    )
    return Step(
        "uat", _("UAT"), state, detail, Menu.INTEGRASI, reason=reason, action=action
    )


def _live_step(chosen: list[PartnerProduct]) -> Step:
    state, passed, reason = _per_product(
        chosen,
        passed=(State.ACTIVE,),
        pending=State.LIVE_PENDING,
        rejected=State.LIVE_REJECTED,
        open_=(State.UAT_APPROVED,),
    )
    # Until a UAT is approved nothing can be sent Live: the UAT step has the next action.
    ready = any(
        row.state in (State.UAT_APPROVED, State.LIVE_REJECTED) for row in chosen
    )
    action = None
    if ready:
        action = Action(
            _("Request Live"), reverse("integration:live_list"), Menu.INTEGRASI
        )
    detail = (
        _count_detail(
            chosen, passed=passed, what=_("sudah Live"), pending=State.LIVE_PENDING
        )
        if chosen
        else _("Setelah UAT produk disetujui.")
    )
    return Step(
        "live", _("Live"), state, detail, Menu.INTEGRASI, reason=reason, action=action
    )


def _deposit_step(partner: Partner, *, active: bool, balance: int | None) -> Step:
    title = _("Top up deposit Production")
    menu = Menu.TRANSAKSI
    if not active:
        return Step(
            "deposit", title, TODO, _("Dapat dilakukan setelah akun aktif."), menu
        )
    topups = topups_for(partner=partner)
    if balance is None:
        balance = deposit_balance(partner=partner, environment=Environment.PRODUCTION)
    if balance > 0 or topups.filter(review_status=ReviewStatus.APPROVED).exists():
        return Step("deposit", title, DONE, _("Deposit sudah terisi."), menu)
    latest = topups.order_by("-submitted_at", "-id").first()
    new = Action(_("Top Up Deposit"), reverse("billing:topup_create"), menu)
    if latest is not None:
        state = latest.state
        if state == TopUp.State.AWAITING_CONFIRMATION:
            return Step(
                "deposit",
                title,
                WAITING,
                _("Bukti transfer menunggu konfirmasi tim kami."),
                menu,
            )
        if state == TopUp.State.AWAITING_PAYMENT and latest.is_open:
            return Step(
                "deposit",
                title,
                TODO,
                _("Transfer sesuai nominal lalu unggah bukti transfer."),
                menu,
                action=Action(
                    _("Unggah Bukti Transfer"),
                    reverse("billing:topup_detail", args=[latest.pk]),
                    menu,
                ),
            )
        if state == TopUp.State.REJECTED:
            return Step(
                "deposit",
                title,
                REJECTED,
                _("Top up terakhir ditolak."),
                menu,
                reason=latest.review_reason,
                action=new,
            )
    return Step(
        "deposit",
        title,
        TODO,
        _("Isi deposit sebelum bertransaksi di Production."),
        menu,
        action=new,
    )
