"""Access rights as Manajemen User offers them: a matrix of menus × (none, view, change), the
ready-made roles that fill it, and the rule that nobody grants more than they hold."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.lib.access import Level, Menu

NONE = ""
RANK = {NONE: 0, Level.VIEW: 1, Level.CHANGE: 2}
LEVEL_CHOICES = [
    (NONE, _("Tidak ada")),
    (Level.VIEW.value, Level.VIEW.label),
    (Level.CHANGE.value, Level.CHANGE.label),
]

Rights = dict[str, str]


def _rights(**levels: Level) -> Rights:
    return {Menu[name].value: level.value for name, level in levels.items()}


# Ready-made roles (Hak Akses Akun). Administrator runs everything day to day except the
# partner's legal data (Profil), which stays with the owner who submitted it; the dashboard has
# nothing to change.
ROLES: dict[str, tuple[str, Rights]] = {
    "administrator": (
        _("Administrator"),
        _rights(
            DASHBOARD=Level.VIEW,
            PROFIL=Level.VIEW,
            KONEKSI=Level.CHANGE,
            PRODUK=Level.CHANGE,
            INTEGRASI=Level.CHANGE,
            TRANSAKSI=Level.CHANGE,
            KREDENSIAL=Level.CHANGE,
            USERMGMT=Level.CHANGE,
        ),
    ),
    "teknis": (
        _("Teknis"),
        _rights(
            DASHBOARD=Level.VIEW,
            KONEKSI=Level.CHANGE,
            PRODUK=Level.CHANGE,
            INTEGRASI=Level.CHANGE,
            KREDENSIAL=Level.VIEW,
        ),
    ),
    "keuangan": (
        _("Keuangan"),
        _rights(DASHBOARD=Level.VIEW, TRANSAKSI=Level.CHANGE),
    ),
    "laporan": (
        _("Laporan"),
        _rights(DASHBOARD=Level.VIEW, TRANSAKSI=Level.VIEW),
    ),
}
CUSTOM = "kustom"
ROLE_CHOICES = [(key, label) for key, (label, _r) in ROLES.items()] + [
    (CUSTOM, _("Kustom"))
]


def rights_clean(raw: dict | None) -> Rights:
    """Only known menus with a real level; 'none' is simply absent."""
    raw = raw or {}
    return {
        menu.value: raw[menu.value]
        for menu in Menu
        if raw.get(menu.value) in (Level.VIEW, Level.CHANGE)
    }


def rights_of(user) -> Rights:
    """What ``user`` holds; the owner holds every menu at change."""
    if user.is_owner:
        return {menu.value: Level.CHANGE.value for menu in Menu}
    return rights_clean(user.access_rights)


def role_of(rights: Rights) -> str:
    """The key of the ready-made role this matrix equals, else ``CUSTOM``."""
    rights = rights_clean(rights)
    for key, (_label, role_rights) in ROLES.items():
        if role_rights == rights:
            return key
    return CUSTOM


def role_label(user) -> str:
    if user.is_owner:
        return str(_("Pemilik"))
    key = role_of(user.access_rights)
    return str(dict(ROLE_CHOICES)[key])


def rights_exceeding(*, granted: Rights, holder: Rights) -> list[str]:
    """The menus where ``granted`` is above what ``holder`` has."""
    return [
        menu.value
        for menu in Menu
        if RANK[granted.get(menu.value, NONE)] > RANK[holder.get(menu.value, NONE)]
    ]


def rights_cover(*, actor, user) -> bool:
    """True when ``actor`` holds at least every right ``user`` holds."""
    return not rights_exceeding(granted=rights_of(user), holder=rights_of(actor))
