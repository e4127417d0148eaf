"""Access rights: every partner view declares the menu and level it needs.

A user belongs to one partner (or is staff). The partner's owner holds every right; other users
hold the rights stored on them, per menu, as "view" or "change" ("change" includes "view").
Views use ``partner_required`` (functions) or ``PartnerRequiredMixin`` (classes); the sidebar uses
``has_right`` so that it only shows what the user may open. Pages every partner user may open
(Keamanan Akun) use ``partner_required()`` without a menu.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class Menu(models.TextChoices):
    DASHBOARD = "dashboard", _("Dashboard")
    PROFIL = "profil", _("Profil")
    KONEKSI = "koneksi", _("Koneksi & Dokumentasi")
    PRODUK = "produk", _("Produk")
    INTEGRASI = "integrasi", _("Integrasi")
    TRANSAKSI = "transaksi", _("Transaksi & Deposit")
    KREDENSIAL = "kredensial", _("Kredensial")
    USERMGMT = "usermgmt", _("Manajemen User")


class Level(models.TextChoices):
    VIEW = "view", _("Lihat")
    CHANGE = "change", _("Ubah")


class MissingRight(PermissionDenied):
    """Refusal of a partner's user who lacks ``menu`` at ``level``; the 403 page names it."""

    def __init__(self, menu: str, level: str):
        super().__init__(f"{menu}:{level}")
        self.menu = Menu(menu)
        self.level = Level(level)


def has_right(user, menu: str, level: str = Level.VIEW) -> bool:
    """True when ``user`` may open ``menu`` at ``level``."""
    if not user.is_authenticated or not user.is_active or user.partner_id is None:
        return False
    if user.is_owner:
        return True
    held = (user.access_rights or {}).get(str(menu))
    if held == Level.CHANGE:
        return True
    return held == Level.VIEW and level == Level.VIEW


def _check(request: HttpRequest, menu: str | None, level: str) -> HttpResponse | None:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.partner_id is None:
        # Staff work in the back-office; the partner portal is not theirs.
        if user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    if menu is not None and not has_right(user, menu, level):
        raise MissingRight(menu, level)
    request.partner = user.partner
    return None


def partner_required(menu: str | None = None, level: str = Level.VIEW) -> Callable:
    """Decorate a function view that needs ``menu`` at ``level`` (no menu: any user of a
    partner); sets ``request.partner``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = _check(request, menu, level)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        if menu is not None:
            wrapped.access_menu = menu
            wrapped.access_level = level
        return wrapped

    return decorator


class PartnerRequiredMixin:
    """Class-based counterpart of ``partner_required``; set ``menu`` and ``level``."""

    menu: str = Menu.DASHBOARD
    level: str = Level.VIEW

    def dispatch(self, request, *args, **kwargs):
        refused = _check(request, self.menu, self.level)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)
