"""The sidebar of the manual and where a user lands after login."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from portal.lib.access import Menu, has_right


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool


# In the manual's order: (menu, url name, icon). An entry appears once its app provides the URL,
# and only to users who may open it.
SIDEBAR = [
    (Menu.DASHBOARD, "portal:dashboard", "speedometer2"),
    (Menu.PROFIL, "profiles:detail", "person-vcard"),
    (Menu.KONEKSI, "connections:list", "hdd-network"),
    (Menu.PRODUK, "products:index", "box-seam"),
    (Menu.INTEGRASI, "integration:uat_list", "plug"),
    (Menu.TRANSAKSI, "billing:transactions", "receipt"),
    (Menu.KREDENSIAL, "profiles:credentials", "key"),
    (Menu.USERMGMT, "usermgmt:list", "people"),
]


def _allowed(user):
    for menu, url_name, icon in SIDEBAR:
        if not has_right(user, menu):
            continue
        try:
            yield menu, reverse(url_name), icon
        except NoReverseMatch:
            continue


def sidebar_items(request) -> list[NavItem]:
    return [
        NavItem(
            label=menu.label, url=url, icon=icon, active=request.path.startswith(url)
        )
        for menu, url, icon in _allowed(request.user)
    ]


def home_url(user) -> str:
    """The first page of the portal this user may open (staff: the back-office)."""
    if user.partner_id is None:
        return reverse("admin:index") if user.is_staff else reverse("accounts:login")
    for _menu, url, _icon in _allowed(user):
        return url
    return reverse("accounts:password_change")
