from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from accounts.models import Partner
from connections import selectors, services
from connections.forms import ConnectionForm
from connections.models import MAX_ENTRIES_PER_ENVIRONMENT, Connection
from portal.lib.access import (
    Level,
    Menu,
    PartnerRequiredMixin,
    has_right,
    partner_required,
)
from portal.lib.audit import client_ip


def _inactive_message(partner: Partner) -> str:
    return _(
        "IP Address dapat didaftarkan setelah akun Anda Aktif (status saat ini: "
        "%(status)s). Lengkapi data profil dan tunggu verifikasi."
    ) % {"status": partner.get_status_display()}


def _own_entry(request, pk: int) -> Connection:
    """The partner's own entry; another partner's (or a deleted one) is a 404."""
    return get_object_or_404(
        Connection.objects.not_deleted(), pk=pk, partner=request.partner
    )


class ConnectionListView(PartnerRequiredMixin, ListView):
    """Gambar 17 and 21: the whitelist entries with IP Address, Kategori and Status."""

    menu = Menu.KONEKSI
    level = Level.VIEW
    paginate_by = 10
    template_name = "connections/list.html"
    context_object_name = "connections"

    def get_queryset(self):
        return selectors.connection_list(partner=self.request.partner)

    def get_context_data(self, **kwargs):
        partner = self.request.partner
        context = super().get_context_data(**kwargs)
        context.update(
            partner=partner,
            partner_active=partner.status == Partner.Status.ACTIVE,
            inactive_message=_inactive_message(partner),
            can_change=has_right(self.request.user, Menu.KONEKSI, Level.CHANGE),
            counts=selectors.connection_counts(partner=partner),
            max_entries=MAX_ENTRIES_PER_ENVIRONMENT,
            has_approved=selectors.has_approved_entry(partner=partner),
        )
        return context


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_http_methods(["GET", "POST"])
def connection_add(request):
    """Gambar 18–20: Tipe Koneksi + IP Address, Simpan."""
    partner = request.partner
    if partner.status != Partner.Status.ACTIVE:
        messages.warning(request, _inactive_message(partner))
        return redirect("connections:list")
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_create(
                partner=partner,
                environment=form.cleaned_data["environment"],
                address=form.cleaned_data["address"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.ConnectionEntryError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Data berhasil disimpan"))
            return redirect("connections:list")
    return render(request, "connections/form.html", {"form": form, "connection": None})


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_http_methods(["GET", "POST"])
def connection_edit(request, pk: int):
    """Correct a rejected entry and submit it again."""
    connection = _own_entry(request, pk)
    if not connection.is_rejected:
        messages.info(
            request,
            _("Hanya entri yang ditolak yang dapat diperbaiki dan diajukan ulang."),
        )
        return redirect("connections:list")
    form = ConnectionForm(
        request.POST or None,
        initial={
            "environment": connection.environment,
            "address": connection.address,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_resubmit(
                connection=connection,
                environment=form.cleaned_data["environment"],
                address=form.cleaned_data["address"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.ConnectionEntryError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(
                request,
                _("Data berhasil disimpan. IP Address diajukan ulang untuk disetujui."),
            )
            return redirect("connections:list")
    return render(
        request, "connections/form.html", {"form": form, "connection": connection}
    )


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_POST
def connection_delete(request, pk: int):
    """POST only, from a form that asks for confirmation first."""
    connection = _own_entry(request, pk)
    try:
        services.connection_delete(
            connection=connection, actor=request.user, ip=client_ip(request)
        )
    except services.ConnectionEntryError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("IP Address %(address)s (%(env)s) berhasil dihapus.")
            % {
                "address": connection.address,
                "env": connection.get_environment_display(),
            },
        )
    return redirect("connections:list")
