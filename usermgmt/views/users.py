"""Manajemen User (Gambar 50–59): the list, Tambah Data, Edit, Hapus, and the owner's
two-factor requirement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from accounts.models import User
from portal.lib.access import (
    Level,
    Menu,
    PartnerRequiredMixin,
    has_right,
    partner_required,
)
from portal.lib.client_ip import client_ip
from usermgmt import selectors, services
from usermgmt.forms import SubUserForm, TwoFactorPolicyForm, right_field
from usermgmt.rights import ROLES, rights_cover, role_label

SAVED = gettext_lazy("Data Berhasil Disimpan")


class UserListView(PartnerRequiredMixin, ListView):
    """Gambar 50, 54, 59: the partner's users with Edit and Hapus in the Aksi column."""

    menu = Menu.USERMGMT
    level = Level.VIEW
    paginate_by = 10
    template_name = "usermgmt/list.html"
    context_object_name = "users"

    def get_queryset(self):
        return selectors.team_users(partner=self.request.partner)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.request.user
        can_change = has_right(actor, Menu.USERMGMT, Level.CHANGE)
        rows = [
            {
                "user": user,
                "role": role_label(user),
                "two_factor": hasattr(user, "two_factor"),
                "editable": can_change
                and not user.is_owner
                and user.pk != actor.pk
                and rights_cover(actor=actor, user=user),
            }
            for user in context["users"]
        ]
        context.update(
            rows=rows,
            can_change=can_change,
            is_owner=actor.is_owner,
            two_factor_required=selectors.two_factor_required(
                partner_id=actor.partner_id
            ),
            owner_has_two_factor=hasattr(actor, "two_factor")
            if actor.is_owner
            else False,
        )
        return context


def _form_context(form: SubUserForm, user: User | None) -> dict:
    roles = {key: rights for key, (_label, rights) in ROLES.items()}
    return {
        "form": form,
        "subject": user,
        "roles": roles,
        "right_field_prefix": right_field(""),
    }


def _service_error(form: SubUserForm, exc: services.UserManagementError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@partner_required(Menu.USERMGMT, Level.CHANGE)
@require_http_methods(["GET", "POST"])
def user_add(request):
    """Gambar 51–53: Tambah Data, then Simpan or Batal."""
    form = SubUserForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        initial={"username": services.username_preview(partner=request.partner)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sub_user_create(
                actor=request.user,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                rights=form.rights(),
                ip=client_ip(request),
            )
        except services.UserManagementError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, SAVED)
            return redirect("usermgmt:list")
    return render(request, "usermgmt/form.html", _form_context(form, None))


def _own_user(request, pk: int) -> User:
    """A living user of the partner; another partner's (or a deleted one) is a 404."""
    user = selectors.team_user_get(partner=request.partner, pk=pk)
    if user is None:
        raise Http404
    return user


def _refusal(request, user: User):
    """Redirect back to the list with the reason, when ``user`` may not be changed here."""
    try:
        services.sub_user_changeable_check(actor=request.user, user=user)
    except services.UserManagementError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied from exc
        messages.warning(request, exc.message)
        return redirect("usermgmt:list")
    return None


@partner_required(Menu.USERMGMT, Level.CHANGE)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    """Gambar 55–56: Edit a user's data, rights and status."""
    user = _own_user(request, pk)
    refused = _refusal(request, user)
    if refused is not None:
        return refused
    form = SubUserForm(
        request.POST if request.method == "POST" else None,
        actor=request.user,
        instance=user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sub_user_update(
                actor=request.user,
                user=user,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                rights=form.rights(),
                is_active=data["is_active"],
                password=data["password1"] or None,
                ip=client_ip(request),
            )
        except services.UserManagementError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, SAVED)
            return redirect("usermgmt:list")
    return render(request, "usermgmt/form.html", _form_context(form, user))


@partner_required(Menu.USERMGMT, Level.CHANGE)
@require_POST
def user_delete(request, pk: int):
    """Gambar 57–59: Hapus, after Ya in the confirmation dialog."""
    user = _own_user(request, pk)
    refused = _refusal(request, user)
    if refused is not None:
        return refused
    try:
        services.sub_user_delete(actor=request.user, user=user, ip=client_ip(request))
    except services.UserManagementError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Proses Berhasil"))
    return redirect("usermgmt:list")


@partner_required(Menu.USERMGMT, Level.CHANGE)
@require_POST
def two_factor_policy(request):
    """The owner's switch: every user of the partner must use two-factor login."""
    if not request.user.is_owner:
        raise PermissionDenied
    form = TwoFactorPolicyForm(request.POST)
    if not form.is_valid():
        messages.warning(request, _("Pilihan tidak valid."))
        return redirect("usermgmt:list")
    required = form.cleaned_data["required"]
    try:
        services.two_factor_policy_set(
            actor=request.user, required=required, ip=client_ip(request)
        )
    except services.UserManagementError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Verifikasi dua langkah kini wajib untuk semua user. User yang belum "
                "mengaktifkannya akan diminta mengaturnya saat login berikutnya."
            )
            if required
            else _("Verifikasi dua langkah tidak lagi wajib untuk semua user."),
        )
    return redirect("usermgmt:list")
